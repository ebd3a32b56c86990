import type { DbtJinja } from '../jinja/dbt-jinja.ts';
import type { TemplateOrigin } from '../jinja/locate-error.ts';
import type { RenderScope } from '../jinja/render-scope.ts';

/** A string written as a call of one of these is a Jinja expression (`to: ref('customers')`). */
const looksLikeFunction = /^\s*(env_var|ref|var|source|doc)\s*\(.+\)\s*$/s;
/** A string that is one `{{ expression }}` and nothing else evaluates to the expression's value. */
const singleExpression = /^\s*\{\{(.*)\}\}\s*$/s;

/**
 * A generic test's arguments as its macro receives them (dbt's
 * `add_rendered_test_kwargs`): `model` becomes the relation (through
 * get_where_subquery), `to: ref('customers')` the referenced relation, other strings with
 * Jinja are rendered; `column_name` stays as written. Values are rendered in order, so
 * refs are recorded in the order dbt records them.
 */
export function renderTestKwargs(
  jinja: DbtJinja,
  kwargs: Record<string, unknown>,
  scope: RenderScope,
  origin: TemplateOrigin,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(kwargs)) {
    out[key] = key === 'column_name' ? value : renderValue(jinja, value, scope, origin);
  }
  return out;
}

function renderValue(jinja: DbtJinja, value: unknown, scope: RenderScope, origin: TemplateOrigin): unknown {
  if (Array.isArray(value)) return value.map((item) => renderValue(jinja, item, scope, origin));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [
        key,
        renderValue(jinja, item, scope, origin),
      ]),
    );
  }
  if (typeof value !== 'string') return value;
  const text = looksLikeFunction.test(value) ? `{{ ${value} }}` : value;
  const single = singleExpression.exec(text);
  if (single && !single[1]?.includes('}}')) return jinja.evaluate(single[1]?.trim() ?? '', scope, origin);
  if (!text.includes('{{') && !text.includes('{%')) return text;
  return jinja.render(`${origin.file}#kwarg:${text}`, text, scope, origin);
}

import { DbtJinja, type JinjaTarget } from '../jinja/dbt-jinja.ts';
import { detachedScope } from '../jinja/render-scope.ts';

/** Options for {@link yamlValueRenderer}. */
export interface YamlValueRendererOptions {
  projectName: string;
  target: JinjaTarget;
  vars: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
  /** Where the values are, for messages: `dbt_project.yml`. */
  file: string;
}

/**
 * Renders the Jinja in a project file's values, as dbt does for dbt_project.yml and
 * profiles.yml (`{{ env_var('X') }}`, `{{ target.name }}`, `{{ var('v') }}`). Text
 * without `{{` or `{%` is returned as is; `True` / `False` become booleans.
 *
 * @example
 * const render = yamlValueRenderer({ projectName: 'shop', target, vars: {}, env, file: 'profiles.yml' });
 * render("{{ env_var('DB', 'dev.duckdb') }}") // → 'dev.duckdb'
 */
export function yamlValueRenderer(options: YamlValueRendererOptions): (text: string) => unknown {
  let jinja: DbtJinja | undefined;
  let count = 0;
  return (text) => {
    if (!text.includes('{{') && !text.includes('{%')) return text;
    jinja ??= new DbtJinja(options);
    const out = jinja.render(`${options.file}#${count++}`, text, detachedScope(options.file), {
      file: options.file,
      lineOffset: 0,
    });
    return out === 'True' ? true : out === 'False' ? false : out;
  };
}

/** Renders every string in a YAML value, except under the keys in `skip` (hooks are rendered when they run). */
export function renderDeep(value: unknown, render: (text: string) => unknown, skip: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return render(value);
  if (Array.isArray(value)) return value.map((item) => renderDeep(item, render, skip));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        skip.has(key.replace(/^\+/, '')) ? item : renderDeep(item, render, skip),
      ]),
    );
  }
  return value;
}

import type { NodeContext } from '../run/node-context.ts';
import { NodeError } from '../run/node-error.ts';
import { relationSql } from '../run/relations.ts';

/**
 * Runs a model's `pre-hook` or `post-hook` statements inside its transaction (dbt's
 * default `transaction: true`). Hooks are config values, not compiled templates, so
 * only `{{ this }}` is filled in; any other Jinja in a hook is an error saying so.
 */
export async function runHooks(ctx: NodeContext, which: 'pre-hook' | 'post-hook'): Promise<void> {
  const hooks = ctx.node.config[which];
  if (!Array.isArray(hooks)) return;
  for (const hook of hooks as unknown[]) {
    const text = typeof hook === 'string' ? hook : (hook as { sql?: unknown } | null)?.sql;
    if (typeof text !== 'string' || text.trim() === '') continue;
    const sql = text.replace(/\{\{-?\s*this\s*-?\}\}/g, relationSql(ctx.node.relation));
    if (/\{\{|\{%/.test(sql)) {
      throw new NodeError('Compilation', `The ${which} "${text.trim()}" uses Jinja other than {{ this }}.`, {
        hint: 'Write the hook as plain SQL ({{ this }} is filled in), or move the logic into the model.',
      });
    }
    await ctx.session.execute(sql);
  }
}

import type { NodeContext, NodeOutcome } from '../run/node-context.ts';
import { relationSql } from '../run/relations.ts';
import { buildAndSwap, selectBody } from './build-and-swap.ts';
import { runHooks } from './hooks.ts';
import { saveModelState } from './model-state.ts';

/**
 * `materialized: table`: `create table <alias>__dbt_tmp as (…)`, then swapped in for the
 * old relation (table or view), all in one transaction: a failing model leaves its
 * previous version exactly.
 */
export async function materializeTable(ctx: NodeContext): Promise<NodeOutcome> {
  const sql = selectBody(ctx.compile({ isIncremental: false }).sql);
  const previous = ctx.savedState;
  const rows = await ctx.session.transaction(async () => {
    await runHooks(ctx, 'pre-hook');
    const created = await buildAndSwap(ctx.session, ctx.node.relation, 'table', sql);
    await runHooks(ctx, 'post-hook');
    await saveModelState(ctx, { fullBuild: true, fullBuildSql: sql, watermark: null }, previous);
    return created;
  });
  return {
    status: 'success',
    message: 'OK',
    rowsAffected: rows,
    adapterResponse: { _message: 'OK', ...(rows === null ? {} : { rows_affected: rows }) },
    compiled: true,
    compiledCode: sql,
    relationName: relationSql(ctx.node.relation),
  };
}

import type { NodeContext, NodeOutcome } from '../run/node-context.ts';
import { relationSql } from '../run/relations.ts';
import { buildAndSwap, selectBody } from './build-and-swap.ts';
import { runHooks } from './hooks.ts';
import { saveModelState } from './model-state.ts';

/**
 * `materialized: view`: `create view <alias>__dbt_tmp as (…)`, then swapped in for the
 * old relation, all in one transaction.
 */
export async function materializeView(ctx: NodeContext): Promise<NodeOutcome> {
  const sql = selectBody(ctx.compile({ isIncremental: false }).sql);
  const previous = ctx.savedState;
  await ctx.session.transaction(async () => {
    await runHooks(ctx, 'pre-hook');
    await buildAndSwap(ctx.session, ctx.node.relation, 'view', sql);
    await runHooks(ctx, 'post-hook');
    await saveModelState(ctx, { fullBuild: true, fullBuildSql: sql, watermark: null }, previous);
  });
  return {
    status: 'success',
    message: 'OK',
    rowsAffected: null,
    adapterResponse: { _message: 'OK' },
    compiled: true,
    compiledCode: sql,
    relationName: relationSql(ctx.node.relation),
  };
}

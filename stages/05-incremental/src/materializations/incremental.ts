import { quoteIdentifier } from '@mart/shared';
import type { NodeContext, NodeOutcome } from '../run/node-context.ts';
import { shouldFullRefresh } from '../run/node-context.ts';
import { relationColumns, relationKind, relationSql, tempRelation } from '../run/relations.ts';
import { buildAndSwap, selectBody } from './build-and-swap.ts';
import { runHooks } from './hooks.ts';
import { type IncrementalConfig, incrementalConfig } from './incremental-config.ts';
import { materializeMicrobatch } from './microbatch.ts';
import { changedSinceFullBuild, fullBuildSql, saveModelState } from './model-state.ts';
import { applySchemaChange } from './on-schema-change.ts';
import { assertUniqueKeys, resolveKeyColumns } from './unique-key-check.ts';

/**
 * `materialized: incremental` (dbt-duckdb's flow, §4.4). `is_incremental()` is true only
 * for an existing table without a full refresh (a view in its place, `--full-refresh`
 * or `full_refresh: true` rebuild it). A full build goes through build-and-swap; an
 * incremental run puts the new rows in a temporary table, checks their unique_key,
 * applies on_schema_change, then the strategy: append (here), merge and delete+insert
 * (the exercise pieces' SQL), microbatch (per batch, see microbatch.ts). Everything,
 * run state included, happens in one transaction.
 */
export async function materializeIncremental(ctx: NodeContext): Promise<NodeOutcome> {
  const config = incrementalConfig(ctx.node);
  if (config.strategy === 'microbatch') return materializeMicrobatch(ctx, config);
  const { node, session } = ctx;
  const target = node.relation;
  const existing = await relationKind(session.db, target);
  const isIncremental = existing === 'table' && !shouldFullRefresh(node, ctx.fullRefresh);
  const sql = selectBody(ctx.compile({ isIncremental }).sql);
  const previous = ctx.savedState;
  const warnings = [...config.warnings];
  const checksKeys =
    config.uniqueKey.length > 0 && (config.strategy === 'merge' || config.strategy === 'delete+insert');
  const keyCheck = { allowDuplicates: config.strategy === 'delete+insert' && config.allowDuplicateKeys };

  let rows: number | null;
  if (!isIncremental) {
    rows = await session.transaction(async () => {
      await runHooks(ctx, 'pre-hook');
      const created = await buildAndSwap(session, target, 'table', sql, async (built) => {
        if (!checksKeys) return;
        const keys = resolveKeyColumns(node, config.uniqueKey, await relationColumns(session.db, built));
        await assertUniqueKeys(session, node, relationSql(built), keys, keyCheck);
      });
      await runHooks(ctx, 'post-hook');
      await saveModelState(
        ctx,
        { fullBuild: true, fullBuildSql: sql, watermark: await newestEventTime(ctx) },
        previous,
      );
      return created;
    });
  } else {
    const fullSql = fullBuildSql(ctx);
    const warning = changedSinceFullBuild(ctx, previous, fullSql);
    if (warning) warnings.push(warning);
    rows = await session.transaction(async () => {
      await runHooks(ctx, 'pre-hook');
      const applied = await applyIncrementally(ctx, config, sql, checksKeys, keyCheck);
      await runHooks(ctx, 'post-hook');
      await saveModelState(
        ctx,
        { fullBuild: false, fullBuildSql: fullSql ?? sql, watermark: await newestEventTime(ctx) },
        previous,
      );
      return applied;
    });
  }
  return {
    status: 'success',
    message: ['OK', ...warnings].join('\n'),
    warnings,
    rowsAffected: rows,
    adapterResponse: { _message: 'OK', ...(rows === null ? {} : { rows_affected: rows }) },
    compiled: true,
    compiledCode: sql,
    relationName: relationSql(target),
  };
}

/** The new rows into a temporary table, checked, then applied with the strategy. Returns how many. */
async function applyIncrementally(
  ctx: NodeContext,
  config: IncrementalConfig,
  sql: string,
  checksKeys: boolean,
  keyCheck: { allowDuplicates: boolean },
): Promise<number> {
  const { node, session, pieces } = ctx;
  const target = node.relation;
  const targetSql = relationSql(target);
  const temp = tempRelation(`${target.identifier}__dbt_tmp`);
  const tempSql = relationSql(temp);
  await session.execute(`drop table if exists ${tempSql}`);
  const count = (await session.execute(`create temporary table ${tempSql} as (\n${sql}\n)`)) ?? 0;
  let keys: string[] = [];
  if (checksKeys) {
    keys = resolveKeyColumns(node, config.uniqueKey, await relationColumns(session.db, temp));
    await assertUniqueKeys(session, node, tempSql, keys, keyCheck);
  }
  const { columns } = await applySchemaChange(session, target, temp, config.onSchemaChange);
  const mergeOptions = { target: targetSql, source: tempSql, uniqueKey: keys, columns, predicates: config.predicates };
  if (config.strategy === 'merge' && keys.length > 0) {
    await session.executePiece('mergeSql', pieces.mergeSql(mergeOptions));
  } else if (config.strategy === 'delete+insert' && keys.length > 0) {
    await session.executePiece('deleteInsertSql', pieces.deleteInsertSql(mergeOptions));
  } else {
    // append, and merge / delete+insert without a unique_key (dbt: MERGE … ON FALSE, a plain insert).
    const list = columns.map(quoteIdentifier).join(', ');
    await session.execute(`insert into ${targetSql} (${list}) select ${list} from ${tempSql}`);
  }
  await session.execute(`drop table ${tempSql}`);
  return count;
}

/** A model with `event_time`: the newest event time in its table, as its watermark (null when it has none). */
async function newestEventTime(ctx: NodeContext): Promise<string | null> {
  const column = ctx.node.config.event_time;
  if (typeof column !== 'string' || column.trim() === '') return null;
  // A failing statement would abort the open transaction: look the column up first.
  const columns = await relationColumns(ctx.session.db, ctx.node.relation);
  const found = columns.find((c) => c.name.toLowerCase() === column.toLowerCase());
  if (!found || !/^(DATE|TIMESTAMP)/.test(found.type)) return null;
  const value = found.type.includes('TIME ZONE')
    ? `max(${quoteIdentifier(found.name)})`
    : `max(${quoteIdentifier(found.name)})::timestamp`;
  const rows = await ctx.session.query<{ newest: number | null }>(
    `select epoch_ms(${value}) as newest from ${relationSql(ctx.node.relation)}`,
  );
  const newest = rows[0]?.newest;
  return newest === null || newest === undefined ? null : `${new Date(Number(newest)).toISOString().slice(0, 19)}Z`;
}

import { quoteIdentifier } from '@mart/shared';
import type { EventWindow } from '../given/types.ts';
import type { Relation } from '../manifest/types.ts';
import type { NodeContext, NodeOutcome } from '../run/node-context.ts';
import { shouldFullRefresh } from '../run/node-context.ts';
import { describeNodeFailure, NodeError } from '../run/node-error.ts';
import { relationColumns, relationKind, relationSql, tempRelation } from '../run/relations.ts';
import { type ModelState, naiveUtc } from '../run/run-state.ts';
import type { BatchResults } from '../run/types.ts';
import { buildAndSwap, selectBody } from './build-and-swap.ts';
import { type IncrementalConfig, microbatchConfig } from './incremental-config.ts';
import { changedSinceFullBuild, fullBuildSql, saveModelState } from './model-state.ts';
import { applySchemaChange } from './on-schema-change.ts';

/**
 * `incremental_strategy: microbatch` (dbt ≥ 1.9, §4.6). The batches come from the
 * incrementalWindows piece: from `begin` on a first run or full refresh, else from the
 * stored watermark minus `lookback` batches, up to now (or exactly the
 * `--event-time-start`/`--event-time-end` window). Each batch is compiled with its window
 * (refs to models with `event_time` are filtered to it) and applied in its own
 * transaction: its rows replace the table's rows of that window (delete + insert), and
 * the watermark moves to the batch's end in the same transaction.
 *
 * A failing batch does not stop the others; the model is then `partial success`, and
 * the watermark stays at the last batch finished before the first failure, so the
 * next run processes the failed one again.
 */
export async function materializeMicrobatch(ctx: NodeContext, config: IncrementalConfig): Promise<NodeOutcome> {
  const { node, session, pieces } = ctx;
  const settings = microbatchConfig(node);
  const target = node.relation;
  const existing = await relationKind(session.db, target);
  let tableExists = existing === 'table' && !shouldFullRefresh(node, ctx.fullRefresh);
  const previous = ctx.savedState;
  const explicit = ctx.eventTimeStart !== undefined && ctx.eventTimeEnd !== undefined;
  const runEnd = ctx.eventTimeEnd ?? `${ctx.now.toISOString().slice(0, 19)}Z`;
  const windows = checkedWindows(
    explicit
      ? pieces.incrementalWindows({
          begin: ctx.eventTimeStart as string,
          end: ctx.eventTimeEnd as string,
          watermark: null,
          lookback: settings.lookback,
          batchSize: settings.batchSize,
        })
      : pieces.incrementalWindows({
          begin: settings.begin,
          end: runEnd,
          watermark: tableExists ? lookbackFrom(previous?.watermark ?? null, runEnd) : null,
          lookback: settings.lookback,
          batchSize: settings.batchSize,
        }),
  );
  const warnings = [...config.warnings];
  const fullSql = fullBuildSql(ctx);
  if (tableExists) {
    const warning = changedSinceFullBuild(ctx, previous, fullSql);
    if (warning) warnings.push(warning);
  }

  let watermark = tableExists ? (previous?.watermark ?? null) : null;
  let inOrder = true;
  let state = previous;
  let compiledCode: string | null = null;
  let rows = 0;
  const results: BatchResults = { successful: [], failed: [] };
  const errors: string[] = [];
  const catalog: BatchCatalog = {};

  for (const [i, window] of windows.entries()) {
    const creating = !tableExists;
    let batchRows: number | null = null;
    let failure: string | null = null;
    try {
      const sql = selectBody(ctx.compile({ isIncremental: !creating, eventTimeWindow: window }).sql);
      compiledCode = sql;
      const nextWatermark = movedWatermark(watermark, window, { inOrder, explicit, creating });
      let saved: ModelState | undefined;
      batchRows = await session.transaction(async () => {
        const applied = await applyBatch(ctx, config, settings.eventTime, sql, window, i + 1, creating, catalog);
        saved = await saveModelState(
          ctx,
          { fullBuild: creating, fullBuildSql: fullSql ?? sql, watermark: nextWatermark },
          state,
        );
        return applied;
      });
      watermark = nextWatermark;
      if (creating) {
        // Later batches keep the fingerprints this first (full) batch saved.
        state = saved;
        // The next batches compile with is_incremental() true, which may change the columns.
        delete catalog.filter;
      }
      tableExists = true;
      rows += batchRows;
      results.successful.push([window.start, window.end]);
    } catch (error) {
      inOrder = false;
      delete catalog.columns;
      failure = describeNodeFailure(node, error, ctx.project);
      errors.push(`batch ${window.start} – ${window.end}:\n${indent(failure)}`);
      results.failed.push([window.start, window.end]);
    }
    ctx.emit({
      type: 'batch',
      node,
      window,
      batch: i + 1,
      batches: windows.length,
      status: failure === null ? 'success' : 'error',
      rows: batchRows,
      message: failure,
    });
  }

  if (windows.length === 0 && !tableExists) {
    // Nothing to process yet (begin is in the future): an empty table, so models that ref it build.
    const sql = selectBody(ctx.compile({ isIncremental: false }).sql);
    compiledCode = sql;
    await session.transaction(async () => {
      await buildAndSwap(session, target, 'table', `select * from (\n${sql}\n) limit 0`);
      await saveModelState(ctx, { fullBuild: true, fullBuildSql: fullSql ?? sql, watermark: null }, undefined);
    });
  }

  const total = windows.length;
  const failed = results.failed.length;
  const status = failed === 0 ? 'success' : failed === total ? 'error' : 'partial success';
  const head =
    status === 'success'
      ? total === 0
        ? 'OK (no batches to run)'
        : `OK (${total} ${total === 1 ? 'batch' : 'batches'})`
      : status === 'partial success'
        ? `PARTIAL SUCCESS (${total - failed}/${total})`
        : `ERROR (0/${total} batches)`;
  return {
    status,
    message: [head, ...errors, ...warnings].join('\n'),
    warnings,
    rowsAffected: rows,
    adapterResponse: { _message: head, rows_affected: rows },
    compiled: true,
    compiledCode,
    relationName: relationSql(target),
    failures: failed,
    batchResults: results,
  };
}

/**
 * One batch, in the caller's transaction: the compiled batch into a temporary table,
 * trimmed to the window; the first batch creates the table (build-and-swap), later ones
 * delete the window's rows from it and insert the batch. Returns the batch's rows.
 */
async function applyBatch(
  ctx: NodeContext,
  config: IncrementalConfig,
  eventTime: string,
  sql: string,
  window: EventWindow,
  batch: number,
  creating: boolean,
  catalog: BatchCatalog,
): Promise<number> {
  const { session, node } = ctx;
  const target = node.relation;
  const temp = tempRelation(`${target.identifier}__dbt_tmp_${batch}`);
  const tempSql = relationSql(temp);
  await session.execute(`create or replace temporary table ${tempSql} as (\n${sql}\n)`);
  // Every batch compiles to the same SELECT with another window, so the same columns:
  // the catalog is asked once per run (see BatchCatalog).
  catalog.filter ??= await windowFilter(ctx, temp, eventTime);
  const { column, cast } = catalog.filter;
  const params = catalog.filter.zoned ? [window.start, window.end] : [naiveUtc(window.start), naiveUtc(window.end)];
  const inWindow = (alias: string) =>
    `${alias}${column} >= cast($1 as ${cast}) and ${alias}${column} < cast($2 as ${cast})`;
  // dbt inserts only the batch's window of the model's rows; the rest would belong to other batches.
  await session.execute(`delete from ${tempSql} where ${column} is null or not (${inWindow('')})`, params);
  let count: number | null;
  if (creating) {
    count = await buildAndSwap(session, target, 'table', `select * from ${tempSql}`);
  } else {
    catalog.columns ??= (await applySchemaChange(session, target, temp, config.onSchemaChange)).columns;
    const targetSql = relationSql(target);
    const predicates = config.predicates.map((predicate) => ` and (${predicate})`).join('');
    await session.execute(
      `delete from ${targetSql} as DBT_INTERNAL_DEST where ${inWindow('DBT_INTERNAL_DEST.')}${predicates}`,
      params,
    );
    const list = catalog.columns.map(quoteIdentifier).join(', ');
    count = await session.execute(`insert into ${targetSql} (${list}) select ${list} from ${tempSql}`);
  }
  await session.execute(`drop table ${tempSql}`);
  return count ?? 0;
}

/**
 * What one run's batches learn from the catalog once: the event-time column's filter
 * (from the first batch's rows) and, after on_schema_change has been applied to the
 * table, the columns to write. Forgotten when a batch fails: its transaction rolled back
 * whatever on_schema_change altered.
 */
interface BatchCatalog {
  filter?: { column: string; cast: string; zoned: boolean };
  columns?: string[];
}

/** The event-time column, and how a window's bounds are cast to compare with it (its type). */
async function windowFilter(
  ctx: NodeContext,
  temp: Relation,
  eventTime: string,
): Promise<{ column: string; cast: string; zoned: boolean }> {
  const columns = await relationColumns(ctx.session.db, temp);
  const found = columns.find((c) => c.name.toLowerCase() === eventTime.toLowerCase());
  if (!found) {
    throw new NodeError(
      'Compilation',
      `event_time '${eventTime}' is not a column of ${ctx.node.name} (its columns: ${columns.map((c) => c.name).join(', ')}).`,
    );
  }
  const zoned = found.type.includes('TIME ZONE');
  return { column: quoteIdentifier(found.name), cast: zoned ? 'timestamptz' : 'timestamp', zoned };
}

/** The piece's windows, checked: `[start, end)` times that parse, start before end. */
function checkedWindows(windows: unknown): EventWindow[] {
  if (!Array.isArray(windows)) {
    throw new NodeError('Runtime', `The incrementalWindows piece returned ${typeof windows}, not a list of windows.`);
  }
  return windows.map((window: unknown) => {
    const w = window as Partial<EventWindow> | null;
    const start = typeof w?.start === 'string' ? Date.parse(w.start) : Number.NaN;
    const end = typeof w?.end === 'string' ? Date.parse(w.end) : Number.NaN;
    if (Number.isNaN(start) || Number.isNaN(end) || start >= end) {
      throw new NodeError(
        'Runtime',
        `The incrementalWindows piece returned the window ${JSON.stringify(window)}; each must be { start, end } ISO times with start before end.`,
      );
    }
    return { start: w?.start as string, end: w?.end as string };
  });
}

/**
 * Where the watermark goes once a batch succeeds. Only while no earlier batch failed (so a
 * failed batch is processed again next time). A normal run's batches continue from the
 * watermark (or from begin), so it moves to the batch's end; an explicit
 * `--event-time-start/--event-time-end` window moves it only when it starts at or
 * before it (no gap is skipped), and a table first created by an explicit window has no
 * watermark (the next normal run starts at begin).
 */
function movedWatermark(
  watermark: string | null,
  window: EventWindow,
  run: { inOrder: boolean; explicit: boolean; creating: boolean },
): string | null {
  if (!run.explicit) return run.inOrder ? later(watermark, window.end) : watermark;
  if (run.creating) return null;
  if (run.inOrder && watermark !== null && Date.parse(window.start) <= Date.parse(watermark)) {
    return later(watermark, window.end);
  }
  return watermark;
}

/**
 * The watermark a run's lookback counts back from: the stored one, but never past this
 * run's end. A run's last batch usually ends after its "now" (a monthly batch run on the
 * 2nd ends on the 1st of next month), so its stored end claims event time that run never
 * saw; counting the lookback from there would leave out the batch before the one "now" is
 * in, and a line of March 31st arriving on April 3rd would never reach a monthly model
 * with lookback 1 (dbt counts the lookback from now). A watermark behind the end (runs
 * were missed, or a batch failed) still starts the catch-up where the data stops.
 */
function lookbackFrom(watermark: string | null, end: string): string | null {
  if (watermark === null) return null;
  return Date.parse(watermark) > Date.parse(end) ? end : watermark;
}

/** The later of two ISO times (null counts as earliest). */
function later(a: string | null, b: string): string {
  if (a === null) return b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '' : `  ${line}`))
    .join('\n');
}

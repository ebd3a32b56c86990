import { CliError, Database, quoteIdentifier, type Row, SqlError, UsageError } from '@mart/shared';
import { createLakeViews } from './create-lake-views.ts';
import { catalogAlias, type LakeSession } from './ducklake/lake-session.ts';
import type { LakeFiles } from './ducklake/read/lake-files.ts';
import { analyzeQuery } from './ducklake/read/query-needs.ts';
import { resolveSnapshot, type SnapshotInfo, type SnapshotSelector } from './ducklake/read/resolve-snapshot.ts';
import type { TableFileCounts } from './ducklake/read/table-query.ts';
import type { LakePieces } from './pieces.ts';
import type { QueryPlan, QueryPlans } from './query-plans.ts';

/** What {@link queryLake} needs: the SQL, which snapshot, and how to open the lake. */
export interface LakeQuery {
  sql: string;
  at: SnapshotSelector;
  /**
   * Opens what planning needs: the lake's files, the pieces and the catalog, read-only.
   * Called only when no saved plan answers the query; queryLake closes the session.
   */
  openLake(): Promise<{ files: LakeFiles; pieces: LakePieces; session: LakeSession }>;
  /** Saved plans to use and add to (see queryPlans); without, every query is planned. */
  plans?: QueryPlans;
}

/** The rows, the snapshot they are of, and what the query read. */
export interface LakeQueryResult {
  rows: Row[];
  snapshot: SnapshotInfo;
  files: TableFileCounts;
  /** True: the views came from a saved plan, and the catalog was not opened. */
  fromPlan: boolean;
}

/**
 * Runs SQL over the lake at a snapshot, as `pnpm stage 4 query` does: resolves the
 * snapshot, asks DuckDB's parser which tables, columns and simple filters the SQL reads
 * (analyzeQuery), makes a view per table it reads over only the files and columns it
 * needs (createLakeViews), and runs the SQL. SQL the parser cannot follow reads every
 * table whose name it contains, whole.
 *
 * With `plans`, the views of a query that read only local files are saved, and the same
 * SQL at the same snapshot selector on the same catalog later runs on them directly in a
 * new in-memory DuckDB: the lake is not opened at all (no catalog, no S3 server). SQL
 * naming the catalog itself (`__lake`), SQL the parser cannot follow and `--as-of` reads
 * are planned every time.
 *
 * @example
 * const { rows } = await queryLake({
 *   sql: 'select count(*) from gold.revenue_by_month',
 *   at: 'latest',
 *   openLake: async () => ({ files, pieces, session: await openLakeSession(path, { readOnly: true }) }),
 * });
 */
export async function queryLake(query: LakeQuery): Promise<LakeQueryResult> {
  const { sql, plans } = query;
  // --as-of is planned every time: DuckDB checks the time it is given against the catalog.
  const cacheable = query.at === 'latest' || 'id' in query.at;
  const found = cacheable ? plans?.lookup(sql, JSON.stringify(query.at)) : undefined;
  if (found?.plan) return { ...(await runPlanned(found.plan, sql)), fromPlan: true };

  const { files, pieces, session } = await query.openLake();
  try {
    const { db } = session;
    if (typeof query.at !== 'string' && 'at' in query.at) await requireTime(db, query.at.at);
    const snapshot = await resolveSnapshot(db, catalogAlias, query.at);
    const needs = await analyzeQuery(db, sql);
    const text = sql.toLowerCase();
    const views = await createLakeViews(
      session,
      files,
      pieces,
      snapshot.id,
      needs.understood
        ? (schema, table) => needs.mentions(schema, table)
        : (_, table) => text.includes(table.toLowerCase()),
      { needs },
    );
    const rows = await db.all(sql).catch((error: unknown) => {
      throw queryFailed(error, snapshot.id, views.tables);
    });
    const savable = needs.understood && !text.includes(catalogAlias) && views.views.every((view) => !view.readsCatalog);
    if (plans && found && savable) {
      plans.save(found, {
        snapshot,
        schemas: views.schemas,
        views: views.views,
        tables: views.tables,
        files: views.files,
      });
    }
    return { rows, snapshot, files: views.files, fromPlan: false };
  } finally {
    session.close();
  }
}

/** A saved plan's schemas and views in a new in-memory DuckDB, then the SQL. */
async function runPlanned(plan: QueryPlan, sql: string): Promise<Omit<LakeQueryResult, 'fromPlan'>> {
  const db = await Database.open(':memory:');
  try {
    // As in a lake session: timestamps in UTC.
    await db.run("set TimeZone = 'UTC'");
    for (const schema of plan.schemas) {
      // Every DuckDB has `main` already; each statement here counts on a warm read (about 0.4 ms).
      if (schema.toLowerCase() !== 'main') await db.run(`create schema if not exists ${quoteIdentifier(schema)}`);
    }
    for (const view of plan.views) {
      await db.run(
        `create or replace view ${quoteIdentifier(view.schema)}.${quoteIdentifier(view.table)} as ${view.sql}`,
      );
    }
    const rows = await db.all(sql).catch((error: unknown) => {
      throw queryFailed(error, plan.snapshot.id, plan.tables);
    });
    return { rows, snapshot: plan.snapshot, files: plan.files };
  } finally {
    db.close();
  }
}

/**
 * --as-of as DuckDB reads a TIMESTAMPTZ (what resolveSnapshot compares with), checked
 * before use: "yesterday" is the user's typo, not our bug. A time without a zone is UTC.
 */
async function requireTime(db: Database, raw: Date | string): Promise<void> {
  if (raw instanceof Date) return;
  const valid = await db.value<boolean>('select try_cast($1 as timestamptz) is not null', [raw]);
  if (!valid) {
    throw new UsageError(`--as-of must be a time such as 2026-11-29T10:00:00Z or 2026-11-29, not "${raw}".`, {
      hint: 'pnpm stage 4 snapshots shows when each snapshot was committed.',
    });
  }
}

/**
 * The user's SQL failed in DuckDB: their error to fix, not our bug. Says DuckDB's
 * message and which tables exist at that snapshot (the usual cause is a name).
 */
function queryFailed(error: unknown, snapshotId: number, tables: readonly string[]): unknown {
  if (!(error instanceof SqlError)) return error;
  return new CliError(`Your query failed: ${error.message}`, {
    hint:
      tables.length > 0
        ? `Tables at snapshot ${snapshotId}: ${tables.join(', ')}.`
        : `No tables exist at snapshot ${snapshotId}${snapshotId === 0 ? ' (the empty lake, before the first build)' : ''}.`,
    cause: error,
  });
}

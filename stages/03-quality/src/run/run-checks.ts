import type { Database } from '@mart/shared';
import { checkRunner } from '../checks/run-check.ts';
import { type Check, type CheckResult, errorResult } from '../given/index.ts';
import type { QualityPieces } from '../pieces.ts';
import { type Catalog, findUnknownNames } from './find-unknown-names.ts';
import { runTableChecks } from './run-table-checks.ts';
import { vetCheckSql } from './vet-check-sql.ts';

export interface RunChecksOptions {
  pieces: QualityPieces;
  /** The reference time for freshness. */
  now: Date;
}

export interface ChecksOutcome {
  /** In the checks file's order. */
  results: CheckResult[];
  /** Queries that measured tables (one per table when the checks batch well). */
  measureQueries: number;
}

/**
 * Runs checks table by table. Checks naming an unknown table or column, and checks whose
 * SQL is not exactly one SELECT (vet-check-sql.ts), are not run: they become `error`
 * results saying what is wrong.
 */
export async function runChecks(
  db: Database,
  checks: readonly Check[],
  options: RunChecksOptions,
): Promise<ChecksOutcome> {
  const catalog = await readCatalog(db);
  const runCheck = checkRunner(options.pieces);
  const byId = new Map<string, CheckResult>();
  let measureQueries = 0;

  const runnable = new Map<string, Check[]>();
  for (const check of checks) {
    const unknown = findUnknownNames(check, catalog);
    if (unknown) {
      byId.set(idOf(check), errorResult(check, unknown));
      continue;
    }
    const vetted = await vetCheckSql(db, check);
    if (vetted.problem !== undefined) byId.set(idOf(check), errorResult(check, vetted.problem));
    else runnable.set(check.table, [...(runnable.get(check.table) ?? []), vetted.check]);
  }
  for (const [table, tableChecks] of runnable) {
    const { results, queries } = await runTableChecks(db, table, tableChecks, runCheck, options.now);
    for (const result of results) byId.set(result.id, result);
    measureQueries += queries;
  }
  return { results: checks.map((check) => byId.get(idOf(check)) as CheckResult), measureQueries };
}

function idOf(check: Check): string {
  return `${check.table}.${check.name}`;
}

async function readCatalog(db: Database): Promise<Catalog> {
  const rows = await db.all<{ table_name: string; column_name: string }>(
    `select table_name, column_name from duckdb_columns()
      where schema_name = 'main' and database_name = current_database() and not internal
      order by table_name, column_index`,
  );
  const catalog: Catalog = new Map();
  for (const row of rows) {
    const table = row.table_name.toLowerCase();
    catalog.set(table, (catalog.get(table) ?? new Set()).add(row.column_name.toLowerCase()));
  }
  return catalog;
}

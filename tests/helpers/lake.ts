import type { Row } from '@mart/shared';
import * as reference from '@mart/solutions/04-lakehouse';
import type { LakePieces } from '@mart/stage-04-lakehouse';
import { catalogAlias, commitSnapshot, findTable, type TestLake } from '@mart/stage-04-lakehouse/testing';

/**
 * The reference pieces with the one being graded replaced by the track's, so an
 * exercise's grade depends only on that exercise (a lake built with the learner's
 * registerDataFile still reads with the reference visibleDataFiles, and so on).
 *
 * @example
 * const lake = await localTestLake(piecesWith({ visibleDataFiles: track.visibleDataFiles }));
 */
export function piecesWith(overrides: Partial<LakePieces>): LakePieces {
  return { ...reference, ...overrides };
}

/** The current table `schema.table` of a test lake; fails the test when it does not exist. */
export async function currentTable(lake: TestLake, schema: string, table: string) {
  const found = await findTable(lake.session.db, schema, table);
  if (!found) throw new Error(`Test setup: ${schema}.${table} does not exist.`);
  return found;
}

/**
 * Rows of a catalog table (`ducklake_data_file`…) of a test lake, optionally filtered by
 * a SQL condition with `$1…` parameters, in the order of `orderBy`.
 *
 * @example
 * await catalogRows(lake, 'ducklake_column', 'table_id = $1', [1], 'column_id')
 */
export async function catalogRows(
  lake: TestLake,
  table: string,
  where = 'true',
  params: (string | number | boolean | null)[] = [],
  orderBy = 'all',
): Promise<Row[]> {
  return lake.session.db.all(`select * from ${catalogAlias}.${table} where ${where} order by ${orderBy}`, params);
}

/** The latest snapshot id of a test lake. */
export async function latestSnapshot(lake: TestLake): Promise<number> {
  return lake.session.db.value<number>(`select max(snapshot_id)::bigint from ${catalogAlias}.ducklake_snapshot`);
}

/** Commits one snapshot in a test lake and returns its id. */
export async function commit(lake: TestLake, work: Parameters<typeof commitSnapshot>[1]): Promise<number> {
  return (await commitSnapshot(lake.session, work)).snapshotId;
}

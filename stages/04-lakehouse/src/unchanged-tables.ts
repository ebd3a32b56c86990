import type { Database } from '@mart/shared';
import { catalogAlias, type LakeSession } from './ducklake/lake-session.ts';
import type { LakeFiles } from './ducklake/read/lake-files.ts';
import { resolveSnapshot } from './ducklake/read/resolve-snapshot.ts';
import { buildTableQuery } from './ducklake/read/table-query.ts';
import { findTable } from './ducklake/write/current-table.ts';
import { describeQuery, rowsAsWritten } from './ducklake/write/insert-rows.ts';
import type { LakePieces } from './pieces.ts';
import type { PublishTarget } from './publish-tables.ts';

/**
 * The latest snapshot, when publishing `targets` would change nothing in it; undefined
 * when it would (then the build commits a new snapshot).
 *
 * "Unchanged" is decided on content, not on inputs: for each table, a fingerprint of
 * the rows publishing would write (columns matched and cast as insertRows does) against
 * the same fingerprint of the lake table at the latest snapshot. Comparing the ingests
 * and the code instead would need to know every input of the result — the bronze files,
 * stage 2's loading rules, stage 1's date dimension, the gold SQL, and whose pieces ran
 * with --mine — and would still be fooled by another writer (the official extension)
 * changing a table in between. The content is what readers see, so it is what we compare.
 * The price: the lake's current silver and gold files are read (downloaded once into the cache).
 *
 * @example
 * const since = await unchangedSince(session, lake.files, lake.pieces, targets);
 * if (since !== undefined) log.info(`Nothing changed since snapshot ${since}: no new snapshot.`);
 */
export async function unchangedSince(
  session: LakeSession,
  files: LakeFiles,
  pieces: LakePieces,
  targets: readonly PublishTarget[],
): Promise<number | undefined> {
  const { db } = session;
  const latest = await resolveSnapshot(db, catalogAlias, 'latest');
  // Last target first: the gold marts sum up the tables before them, so new sales show
  // there at once, and a build with new data stops at its first comparison. (The order
  // changes only how soon a difference is found, never the answer.)
  for (const target of [...targets].reverse()) {
    const table = await findTable(db, target.schema, target.name);
    if (!table) return undefined;
    // A column the lake table lacks would be added: a change (schema evolution).
    const columns = await describeQuery(db, target.sourceSql);
    if (columns.some((column) => !table.columns.some((existing) => existing.name === column.name))) {
      return undefined;
    }
    const current = await buildTableQuery({
      db,
      catalogAlias,
      files,
      schema: target.schema,
      table: target.name,
      snapshot: latest.id,
      visibleDataFiles: pieces.visibleDataFiles,
    });
    const [candidate, inLake] = [
      await fingerprint(db, await rowsAsWritten(db, table, target.sourceSql, columns)),
      await fingerprint(db, current.sql),
    ];
    if (candidate !== inLake) return undefined;
  }
  return latest.id;
}

/**
 * The row count and a hash over the ordered row hashes: equal for two queries returning
 * the same rows (the same multiset: duplicates count, order does not), different — up to
 * a 64-bit hash collision — otherwise.
 */
async function fingerprint(db: Database, sql: string): Promise<string> {
  const [row] = await db.all<{ rows: number; hash: string }>(
    `select count(*)::bigint as rows, hash(list(row_hash order by row_hash))::varchar as hash
       from (select hash(__row) as row_hash from (${sql}) __row)`,
  );
  return `${row?.rows ?? 0}:${row?.hash ?? ''}`;
}

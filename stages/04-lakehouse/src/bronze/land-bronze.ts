import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { type Database, quoteIdentifier, quoteLiteral } from '@mart/shared';
import { csvTables } from '@mart/stage-02-csv-loads';
import type { CommitCleanup, CommitOptions } from '../ducklake/write/commit-snapshot.ts';
import type { ObjectStore } from '../object-store.ts';
import type { LakePieces } from '../pieces.ts';
import { settleAll } from '../transfer-limit.ts';
import type { SourceFile } from './source-files.ts';

/** What landing can be told: the same stop, hook and cleanup report a lake commit takes. */
export type LandOptions = Pick<CommitOptions, 'signal' | 'beforeCommit' | 'onCleanup'> & {
  /** The input files, recorded in the manifest (what was landed, for a later "same files?"). */
  sources?: SourceFile[];
};

/** One object ingest wrote. */
export interface LandedObject {
  key: string;
  rows: number;
  bytes: number;
}

/**
 * Bronze: what arrived, kept as Parquet, after stage 2's loader has read and validated
 * it (`db` holds its typed_* tables). Each record keeps where it came from (file, line,
 * ingest id); the records stage 2 rejected land beside them in bronze/rejects/.
 *
 *   bronze/customers/part-<ingest>.parquet           one file per table and ingest
 *   bronze/sales/sale_date=2024-03-01/part-<ingest>…   sales split by day (Hive-style)
 *
 * Nothing is overwritten: every ingest adds files, and silver decides which version of
 * a record wins (the latest ingest). The manifest is the ingest's commit: when anything
 * fails (or Ctrl-C arrives) before it is written, the objects already uploaded are
 * deleted again, and what could not be deleted is reported (`onCleanup`). The objects
 * are uploaded in parallel (at most the store's concurrency at once); a failure waits
 * for the uploads in flight to end before deleting what landed.
 */
export async function landBronze(
  db: Database,
  store: ObjectStore,
  pieces: LakePieces,
  ingestId: string,
  options: LandOptions = {},
): Promise<LandedObject[]> {
  const localRoot = join(tmpdir(), `mart-bronze-${process.pid}-${ingestId}`);
  rmSync(localRoot, { recursive: true, force: true });
  try {
    for (const table of csvTables) {
      const name = table.file.replace(/\.csv$/, '');
      const select = `select * exclude (_line, _problem, _rule),
                             ${quoteLiteral(table.file)} as _source_file, _line as _source_line,
                             ${quoteLiteral(ingestId)} as _ingest_id
                        from ${quoteIdentifier(table.typed)} where _problem is null`;
      const dir = join(localRoot, 'bronze', name);
      mkdirSync(dir, { recursive: true });
      if (name === 'sales') {
        // One folder per day: readers that want a day (or a month) read only its files.
        await db.run(
          `copy (${select}) to ${quoteLiteral(dir)}
             (format parquet, partition_by (sale_date), write_partition_columns true, overwrite_or_ignore)`,
        );
      } else {
        await db.run(`copy (${select}) to ${quoteLiteral(join(dir, `part-${ingestId}.parquet`))} (format parquet)`);
      }
    }
    const rejects = join(localRoot, 'bronze', 'rejects');
    mkdirSync(rejects, { recursive: true });
    await db.run(
      `copy (select *, ${quoteLiteral(ingestId)} as _ingest_id from rejected_rows)
         to ${quoteLiteral(join(rejects, `part-${ingestId}.parquet`))} (format parquet)`,
    );

    const landed: LandedObject[] = [];
    const uploads: Promise<void>[] = [];
    try {
      const local = walk(localRoot);
      // Row counts from the footers, all files in one query.
      const counts = await db.all<{ file_name: string; num_rows: number }>(
        `select file_name, num_rows::bigint as num_rows from parquet_file_metadata([${local.map((file) => quoteLiteral(file)).join(', ')}])`,
      );
      const rowsOf = new Map(counts.map((row) => [row.file_name, Number(row.num_rows)]));
      try {
        for (const file of local) {
          options.signal?.throwIfAborted();
          const key = keyFor(relative(localRoot, file).split(sep), ingestId, pieces);
          const object = { key, rows: rowsOf.get(file) ?? 0, bytes: statSync(file).size };
          // All uploads at once: the store keeps at most its concurrency in flight. An
          // object counts as landed (to delete on failure) once its upload succeeded.
          const upload = store.put(key, file).then(() => void landed.push(object));
          upload.catch(() => undefined); // thrown below, by settleAll
          uploads.push(upload);
        }
      } finally {
        // Nothing may still be uploading when this goes on, or cleans up after a failure.
        await settleAll(uploads).catch(() => undefined);
      }
      await settleAll(uploads);
      landed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      options.signal?.throwIfAborted();
      await options.beforeCommit?.();
      options.signal?.throwIfAborted();
    } catch (error) {
      await deleteUploads(store, landed, options.onCleanup);
      throw error;
    }
    // Written last: an ingest exists for silver only once its manifest does, so a failed
    // upload half-way leaves nothing silver would read (and what it uploaded is deleted).
    // If the manifest's own upload fails, the objects stay: the manifest may have arrived
    // all the same, and `lake gc` keeps or removes them by whether it did.
    const manifest = join(localRoot, 'manifest.json');
    writeFileSync(
      manifest,
      `${JSON.stringify({ ingest_id: ingestId, sources: options.sources ?? [], objects: landed }, null, 2)}\n`,
    );
    await store.put(manifestKey(ingestId), manifest);
    return landed;
  } finally {
    rmSync(localRoot, { recursive: true, force: true });
  }
}

/** Deletes what a failed ingest uploaded; never throws (the ingest's own error is the one to report). */
async function deleteUploads(
  store: ObjectStore,
  landed: readonly LandedObject[],
  onCleanup: LandOptions['onCleanup'],
): Promise<void> {
  const keys = landed.map((object) => object.key);
  const cleanup: CommitCleanup = { rolledBack: true, deleted: [], leftBehind: [], problems: [] };
  try {
    if (keys.length > 0) await store.delete(keys);
    cleanup.deleted = keys;
  } catch (error) {
    cleanup.leftBehind = keys;
    cleanup.problems.push(
      `Deleting the ingest's uploads failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  onCleanup?.(cleanup);
}

/** Where ingest manifests go: one small JSON file per ingest, listing its objects. */
export function manifestKey(ingestId: string): string {
  return `bronze/_ingests/${ingestId}.json`;
}

/** `bronze/sales/sale_date=2024-03-01/data_0.parquet` (local) → the bucket key, named by the bronzeKey piece. */
function keyFor(parts: string[], ingestId: string, pieces: LakePieces): string {
  const [, table = '', ...rest] = parts;
  const file = rest.pop() ?? '';
  const partition: Record<string, string> = {};
  for (const folder of rest) {
    const [name = '', value = ''] = folder.split('=');
    partition[name] = decodeURIComponent(value);
  }
  const part = /_(\d+)\.parquet$/.exec(file)?.[1];
  return pieces.bronzeKey({
    table,
    ingestId,
    ...(rest.length > 0 ? { partition } : {}),
    ...(part !== undefined && rest.length > 0 ? { part: Number(part) } : {}),
  });
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

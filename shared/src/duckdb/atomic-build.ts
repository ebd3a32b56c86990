import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from '../errors.ts';
import { Database } from './database.ts';

/**
 * Builds a database file all-or-nothing. `work` fills a temporary file next to `target`;
 * only when it succeeds is the temporary file renamed over `target` (a rename within one
 * folder is atomic). If `work` throws, the temporary file is deleted and the previous
 * warehouse is untouched, byte for byte.
 *
 * A warehouse open in another process (say, `explore` in a second terminal) is refused
 * with a clear error instead of being swapped out from under its reader.
 *
 * @example
 * await buildAtomically(paths.warehouse(1), async (db) => {
 *   await db.run('create table t as select 42 as answer');
 * });
 */
export async function buildAtomically<T>(target: string, work: (db: Database) => Promise<T>): Promise<T> {
  mkdirSync(dirname(target), { recursive: true });
  if (existsSync(target)) await assertNotInUse(target);

  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  removeDatabaseFiles(temporary);
  const db = await Database.open(temporary);
  let result: T;
  try {
    result = await work(db);
    // Fold the write-ahead log into the file so the renamed file is complete on its own.
    await db.run('checkpoint');
  } catch (error) {
    db.close();
    removeDatabaseFiles(temporary);
    throw error;
  }
  db.close();
  renameSync(temporary, target);
  return result;
}

/**
 * Puts a finished database file in place of `target` with one atomic rename (same
 * folder), refusing while another process has `target` open. Used to publish a
 * candidate warehouse only after it passed its checks.
 *
 * @example
 * await publishDatabase('data/warehouse/stage-03.candidate.duckdb', paths.warehouse(3));
 */
export async function publishDatabase(candidate: string, target: string): Promise<void> {
  if (existsSync(target)) await assertNotInUse(target);
  renameSync(candidate, target);
}

/** Opening read-write takes DuckDB's exclusive lock, so it fails while anyone else has the file. */
async function assertNotInUse(target: string): Promise<void> {
  try {
    const probe = await Database.open(target);
    probe.close();
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`Cannot open the existing warehouse ${target}.`, {
      hint: 'If it is damaged, delete it and build again.',
      cause: error,
    });
  }
}

function removeDatabaseFiles(path: string): void {
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
}

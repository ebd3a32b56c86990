import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from '../errors.ts';
import { Database } from './database.ts';
import { quoteIdentifier, quoteLiteral } from './quote.ts';

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
  const temporary = await temporaryBeside(target);
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
 * {@link buildAtomically} from inside an open session: the temporary file is attached to
 * `db` as `alias` while `work` fills it, so that it can copy the session's own tables
 * (`create table alias.t as select … from t`), which a second DuckDB could not see,
 * without writing them out to files first. Then it is checkpointed, detached and renamed
 * over `target`; if `work` throws, it is deleted.
 *
 * @example
 * await buildAttachedAtomically(db, paths.warehouse(4), '__serving', async () => {
 *   await db.run('create table __serving.fact_sales as select * from fact_sales');
 * });
 */
export async function buildAttachedAtomically<T>(
  db: Database,
  target: string,
  alias: string,
  work: () => Promise<T>,
): Promise<T> {
  const temporary = await temporaryBeside(target);
  await db.run(`attach ${quoteLiteral(temporary)} as ${quoteIdentifier(alias)}`);
  let result: T;
  try {
    result = await work();
    // As buildAtomically: the write-ahead log folded into the file, which is then complete on its own.
    await db.run(`checkpoint ${quoteIdentifier(alias)}`);
    await db.run(`detach ${quoteIdentifier(alias)}`);
  } catch (error) {
    await db.run(`detach database if exists ${quoteIdentifier(alias)}`).catch(() => undefined);
    removeDatabaseFiles(temporary);
    throw error;
  }
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

/**
 * A fresh temporary database path next to `target` (same folder: the rename is atomic),
 * once `target`, if it exists, is known not to be open anywhere else.
 */
async function temporaryBeside(target: string): Promise<string> {
  mkdirSync(dirname(target), { recursive: true });
  if (existsSync(target)) await assertNotInUse(target);
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  removeDatabaseFiles(temporary);
  return temporary;
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

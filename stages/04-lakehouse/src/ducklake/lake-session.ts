import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliError, Database, quoteLiteral } from '@mart/shared';

/** Catalog files open for writing in this process. */
const writers = new Set<string>();

/** The name the catalog file is attached under in a lake session's DuckDB. */
export const catalogAlias = '__lake';

/**
 * One in-memory DuckDB with the DuckLake catalog file ATTACHed as `__lake`. Data work
 * (staging rows, writing Parquet, reading files) happens in memory; catalog reads and
 * writes go to `__lake.ducklake_*`, so one transaction can commit a whole snapshot.
 */
export interface LakeSession {
  db: Database;
  catalogPath: string;
  close(): void;
}

/**
 * Opens a session on a catalog file (which must exist unless `create` is set: then an
 * empty file is created and the caller fills it with createCatalog).
 *
 * @example
 * const session = await openLakeSession('data/lake/catalog.duckdb');
 */
export async function openLakeSession(catalogPath: string, options: { readOnly?: boolean } = {}): Promise<LakeSession> {
  if (!existsSync(catalogPath) && options.readOnly) throw new Error(`No lake catalog at ${catalogPath}.`);
  const key = resolve(catalogPath);
  if (!options.readOnly) {
    // DuckDB locks a file against other processes, not against a second database in this
    // one, where two writers would silently overwrite each other: refuse it here.
    if (writers.has(key)) {
      throw new CliError(`The lake catalog ${catalogPath} is in use by another writer in this process.`, {
        hint: 'Close the other session first: one writer at a time.',
      });
    }
    mkdirSync(dirname(catalogPath), { recursive: true });
  }
  const db = await Database.open(':memory:');
  try {
    await inUtc(db);
    await db.run(`attach ${quoteLiteral(catalogPath)} as ${catalogAlias}${options.readOnly ? ' (read_only)' : ''}`);
  } catch (error) {
    db.close();
    // DuckDB lets one process write a database file at a time.
    const message = error instanceof Error ? error.message : String(error);
    if (/lock/i.test(message)) {
      const pid = /PID (\d+)/.exec(message)?.[1];
      throw new CliError(
        `The lake catalog ${catalogPath} is in use by another command${pid ? ` (process ${pid})` : ''}.`,
        {
          hint: 'Wait for it to finish, then try again.',
        },
      );
    }
    throw error;
  }
  if (!options.readOnly) writers.add(key);
  let closed = false;
  return {
    db,
    catalogPath,
    // Idempotent: a command may hand its catalog back early (lake pull, lake reset).
    close: () => {
      if (closed) return;
      closed = true;
      if (!options.readOnly) writers.delete(key);
      db.close();
    },
  };
}

/**
 * Another connection to a session's DuckDB, set up like the session's own: it sees the
 * same memory tables and the attached catalog, and runs its statements while the
 * session's connection runs others (a build writes one table's Parquet file on it while
 * the commit prepares the next table's catalog rows). Close it before the session.
 *
 * @example
 * const files = await lakeConnection(session.db);
 * try { … } finally { files.close(); }
 */
export async function lakeConnection(db: Database): Promise<Database> {
  const connection = await db.connect();
  try {
    await inUtc(connection);
  } catch (error) {
    connection.close();
    throw error;
  }
  return connection;
}

/** Timestamps in catalog rows and statistics are written and read in UTC; DuckDB's TimeZone is per connection. */
async function inUtc(db: Database): Promise<void> {
  await db.run("set TimeZone = 'UTC'");
}

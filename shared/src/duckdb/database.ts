import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { CliError } from '../errors.ts';
import { SqlError } from './sql-error.ts';

/** A row as plain JavaScript: numbers, strings, booleans and null (see {@link toPlain}). */
export type Row = Record<string, unknown>;

/** Values bound to `$1, $2 …` (array) or `$name` (object) placeholders. */
export type Params = DuckDBValue[] | Record<string, DuckDBValue>;

/** Options for {@link Database.open}. */
export interface OpenOptions {
  /** Open without write access; many readers may share a file. Default false. */
  readOnly?: boolean;
}

/**
 * One DuckDB database and one connection to it. Values always go in as parameters,
 * never spliced into the SQL text.
 *
 * A connection runs one statement at a time: callers may start many queries at once
 * (stage 3 measures several checks concurrently), and they are queued here, because
 * node-neo connections are not made for overlapping queries. A failing statement
 * throws a {@link SqlError} holding the SQL and the caller's stack.
 *
 * @example
 * const db = await Database.open('data/warehouse/stage-01.duckdb', { readOnly: true });
 * try {
 *   const rows = await db.all('select * from dim_store where region = $1', ['North']);
 * } finally {
 *   db.close();
 * }
 */
export class Database {
  readonly path: string;
  readonly #instance: DuckDBInstance;
  readonly #connection: DuckDBConnection;
  /** False for a second connection ({@link connect}): closing it leaves the file open. */
  readonly #ownsInstance: boolean;

  private constructor(path: string, instance: DuckDBInstance, connection: DuckDBConnection, ownsInstance = true) {
    this.path = path;
    this.#instance = instance;
    this.#connection = connection;
    this.#ownsInstance = ownsInstance;
  }

  /**
   * Another connection to the same open database, for work that runs at the same time
   * (each connection runs its own statements and transactions; one connection queues
   * them). Close it before the database it came from.
   *
   * @example
   * const second = await db.connect();
   * try { await Promise.all([db.run(a), second.run(b)]); } finally { second.close(); }
   */
  async connect(): Promise<Database> {
    return new Database(this.path, this.#instance, await this.#instance.connect(), false);
  }

  /** Opens (or creates) a database file; `:memory:` for a throwaway one. */
  static async open(path: string, options: OpenOptions = {}): Promise<Database> {
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, options.readOnly ? { access_mode: 'READ_ONLY' } : {});
    } catch (error) {
      throw explainOpenError(path, error);
    }
    const connection = await instance.connect();
    return new Database(path, instance, connection);
  }

  /** Runs a statement for its effect (DDL, insert, copy…). */
  async run(sql: string, params?: Params): Promise<void> {
    const callSite = new Error();
    await this.#serialized(sql, params, callSite, async () => {
      await this.#connection.run(sql, params);
    });
  }

  /** Runs a query and returns every row as a plain object. */
  async all<T = Row>(sql: string, params?: Params): Promise<T[]> {
    // Taken now, while the caller's frame is still on the stack (see SqlError).
    const callSite = new Error();
    const reader = await this.#serialized(sql, params, callSite, () => this.#connection.runAndReadAll(sql, params));
    const types = reader.columnTypes().map((type) => String(type));
    const names = reader.columnNames();
    return reader.getRowsJS().map((values) => {
      const row: Row = {};
      names.forEach((name, i) => {
        row[name] = toPlain(values[i], types[i] ?? '');
      });
      return row as T;
    });
  }

  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `work` after every statement queued before it, turning DuckDB's error into a SqlError. */
  #serialized<T>(sql: string, params: Params | undefined, callSite: Error, work: () => Promise<T>): Promise<T> {
    const run = async () => {
      try {
        return await work();
      } catch (error) {
        throw new SqlError(error, sql, params, callSite);
      }
    };
    const result = this.#tail.then(run, run);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Runs a query expected to return exactly one value (e.g. `select count(*)`). */
  async value<T = unknown>(sql: string, params?: Params): Promise<T> {
    const rows = await this.all(sql, params);
    const first = rows[0];
    if (!first) throw new Error(`Query returned no rows: ${sql}`);
    return Object.values(first)[0] as T;
  }

  /** Runs `work` inside a transaction: committed when it returns, rolled back if it throws. */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.run('begin transaction');
    try {
      const result = await work();
      await this.run('commit');
      return result;
    } catch (error) {
      await this.run('rollback');
      throw error;
    }
  }

  /** Releases the connection and the file (and its lock). Safe to call twice. */
  close(): void {
    this.#connection.closeSync();
    if (this.#ownsInstance) this.#instance.closeSync();
  }
}

/**
 * Opens a database, hands it to `work`, and closes it in `finally`, whatever happens.
 *
 * @example
 * const count = await withDatabase(path, { readOnly: true }, (db) => db.value('select count(*) from fact_sales'));
 */
export async function withDatabase<T>(
  path: string,
  options: OpenOptions,
  work: (db: Database) => Promise<T>,
): Promise<T> {
  const db = await Database.open(path, options);
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

/**
 * DuckDB hands back BIGINT as bigint and DATE as a JS Date at UTC midnight. Learners
 * compare rows with plain numbers and 'YYYY-MM-DD' strings, so we convert once here.
 */
export function toPlain(value: unknown, type: string): unknown {
  if (typeof value === 'bigint') {
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }
  if (value instanceof Date) {
    return type === 'DATE' ? value.toISOString().slice(0, 10) : value.toISOString();
  }
  return value;
}

/** DuckDB's lock message is long and technical; say what it means and what to do. */
function explainOpenError(path: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes('Could not set lock')) {
    const pid = /PID (\d+)/.exec(message)?.[1];
    return new CliError(`The warehouse ${path} is open in another process${pid ? ` (PID ${pid})` : ''}.`, {
      hint: 'Close the other program (an explore session, a DuckDB shell…) and try again.',
      cause: error,
    });
  }
  if (message.includes('No such file') || message.includes('database does not exist')) {
    return new CliError(`There is no database at ${path}.`, { cause: error });
  }
  return error instanceof Error ? error : new Error(message);
}

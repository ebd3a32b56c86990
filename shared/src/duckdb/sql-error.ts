import type { Params } from './database.ts';

/**
 * A DuckDB error, with the statement that caused it and the place in our (or a
 * learner's) code that sent it. DuckDB's own errors come from native code and carry no
 * JavaScript stack at all, so {@link Database} records where each statement was sent
 * from and hands that stack to this error.
 *
 * @example
 * try { await db.all('select amout from fact_sales'); }
 * catch (error) { if (error instanceof SqlError) console.log(error.sql); }
 */
export class SqlError extends Error {
  /** The statement as it was sent. */
  readonly sql: string;
  /** The values bound to it. */
  readonly params: Params | undefined;

  constructor(cause: unknown, sql: string, params: Params | undefined, callSite: Error) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(message, { cause });
    this.name = 'SqlError';
    this.sql = sql;
    this.params = params;
    // The frames of the call site (the line that called db.all / db.run), under our message.
    const frames = (callSite.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
    this.stack = [`${this.name}: ${message}`, ...frames].join('\n');
  }
}

import type { Database, Params, Row } from '@mart/shared';
import { PieceSqlError } from './node-error.ts';
import type { ExecutedStatement } from './types.ts';

/**
 * One node's connection, recording every statement that changes something (what
 * `target/run/…` shows) and attributing failures of the pieces' SQL to the piece.
 * Catalog look-ups go through {@link query} and are not recorded.
 */
export class NodeSession {
  /** The worker's own connection. */
  readonly db: Database;
  /** The statements run through {@link execute}, in order, with their bound values. */
  readonly executed: ExecutedStatement[] = [];

  constructor(db: Database) {
    this.db = db;
  }

  /** A read-only look-up (catalog, counts, samples): not part of the node's executed SQL. */
  query<T = Row>(sql: string, params?: Params): Promise<T[]> {
    return this.db.all<T>(sql, params);
  }

  /** Runs a statement of the node's work; returns DuckDB's row count for DML (null for DDL). */
  async execute(sql: string, params?: Params): Promise<number | null> {
    this.executed.push(params === undefined ? { sql } : { sql, params });
    const rows = await this.db.all(sql, params);
    return rowCount(rows);
  }

  /** Runs the statements an exercise piece returned, in order; a failure names the piece and its SQL. */
  async executePiece(piece: string, statements: readonly string[]): Promise<number> {
    if (!Array.isArray(statements) || statements.some((sql) => typeof sql !== 'string')) {
      throw new PieceSqlError(
        piece,
        String(statements),
        new Error(`the ${piece} piece must return an array of SQL strings`),
      );
    }
    let changed = 0;
    for (const sql of statements) {
      try {
        changed += (await this.execute(sql)) ?? 0;
      } catch (error) {
        throw new PieceSqlError(piece, sql, error);
      }
    }
    return changed;
  }

  /** Runs `work` in one transaction on this connection: committed when it returns, rolled back if it throws. */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.db.run('begin transaction');
    try {
      const result = await work();
      await this.db.run('commit');
      return result;
    } catch (error) {
      await this.db.run('rollback').catch(() => undefined);
      throw error;
    }
  }
}

/** DuckDB answers insert/update/delete/merge/create-as with one row holding `Count`. */
function rowCount(rows: Row[]): number | null {
  const first = rows[0];
  if (rows.length !== 1 || !first || !('Count' in first)) return null;
  const count = Number(first.Count);
  return Number.isFinite(count) ? count : null;
}

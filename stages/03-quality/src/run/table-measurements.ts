import { type Database, quoteIdentifier } from '@mart/shared';
import type { SqlValue } from '../given/index.ts';

interface Pending {
  expression: string;
  params: SqlValue[];
  resolve(value: number | null): void;
  reject(error: unknown): void;
}

/**
 * The "one scan per table" behind `ctx.measure()`. Checks ask for aggregates; nothing
 * runs until `flush()`, which computes every pending aggregate of the table in one
 * `select <a>, <b>, … from <table>` — the way Soda computes a table's metrics together.
 * Identical requests (every check asks for `count(*)`) share one column.
 */
export class TableMeasurements {
  readonly table: string;
  /** How many queries flush() has sent: ideally one per table. */
  queries = 0;
  readonly #db: Database;
  #pending: Pending[] = [];
  #wake: (() => void) | undefined;

  constructor(db: Database, table: string) {
    this.#db = db;
    this.table = table;
  }

  /** Queue an aggregate expression; resolves at the next flush. */
  measure = (expression: string, params: SqlValue[] = []): Promise<number | null> =>
    new Promise((resolve, reject) => {
      this.#pending.push({ expression, params, resolve, reject });
      this.#wake?.();
    });

  /** Resolves as soon as at least one measurement is waiting. */
  requested(): Promise<void> {
    if (this.#pending.length > 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#wake = () => {
        this.#wake = undefined;
        resolve();
      };
    });
  }

  /** Computes everything queued in one query. A failing batch is retried one by one, so one bad expression fails only its own check. */
  async flush(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return;
    try {
      const values = await this.#compute(batch);
      for (const [i, item] of batch.entries()) item.resolve(values[i] ?? null);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const item of batch) {
        try {
          const [value] = await this.#compute([item]);
          item.resolve(value ?? null);
        } catch (single) {
          item.reject(single);
        }
      }
    }
  }

  async #compute(batch: Pending[]): Promise<(number | null)[]> {
    const columns: string[] = [];
    const params: SqlValue[] = [];
    const columnOf = new Map<string, number>();
    const indexes = batch.map((item) => {
      const key = JSON.stringify([item.expression, item.params]);
      let index = columnOf.get(key);
      if (index === undefined) {
        index = columns.length;
        columnOf.set(key, index);
        // The newline ends a `-- comment` an expression may end with, which would swallow `) as m0`.
        columns.push(`(${renumberParameters(item.expression, params.length)}\n) as m${index}`);
        params.push(...item.params);
      }
      return index;
    });
    this.queries += 1;
    const [row] = await this.#db.all(
      `select ${columns.join(',\n       ')}\n  from ${quoteIdentifier(this.table)}`,
      params.length > 0 ? params : undefined,
    );
    return indexes.map((index) => toNumber(row?.[`m${index}`]));
  }
}

/**
 * `$1 … $n` in one expression become `$(offset+1) … $(offset+n)`, so expressions with
 * their own parameters can share one query. Quoted names and strings are left alone.
 *
 * @example
 * renumberParameters('"x" in ($1, $2)', 3) // → '"x" in ($4, $5)'
 */
export function renumberParameters(expression: string, offset: number): string {
  if (offset === 0) return expression;
  return expression.replace(
    /("(?:[^"]|"")*"|'(?:[^']|'')*')|\$(\d+)/g,
    (match, quoted: string | undefined, n: string) => (quoted ? match : `$${Number(n) + offset}`),
  );
}

function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const number = Number(value);
  if (Number.isNaN(number)) throw new Error(`A measurement must be a number, got ${JSON.stringify(value)}.`);
  return number;
}

// Reading SQLite rows back into records: NULL becomes undefined, JSON columns are parsed.

/** A row as better-sqlite3 returns it. */
export type SqlRow = Record<string, unknown>;

/** A text column; undefined for NULL. */
export function text(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

/** A number column; undefined for NULL. */
export function integer(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

/** A JSON column, parsed; `fallback` for NULL or empty. */
export function json<T>(value: unknown, fallback: T): T {
  if (typeof value !== 'string' || value === '') return fallback;
  return JSON.parse(value) as T;
}

/**
 * Whether an error is DuckDB's binder error for a table, view or schema that does not
 * exist. Asking by running the statement (and catching this) costs one round trip where
 * asking the catalog first costs two; a binder error leaves an open transaction usable
 * (only errors while a statement executes abort it).
 *
 * @example
 * try { await db.run('select 1 from t limit 0'); } catch (error) { if (!isMissingRelation(error)) throw error; }
 */
export function isMissingRelation(error: unknown): boolean {
  return /Catalog Error: .* does not exist/.test(error instanceof Error ? error.message : String(error));
}

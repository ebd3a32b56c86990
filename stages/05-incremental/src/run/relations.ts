import { type Database, isMissingRelation, quoteIdentifier, quoteQualified } from '@mart/shared';
import type { Relation } from '../manifest/types.ts';

/** What a relation is in the database, when it exists. */
export type RelationKind = 'table' | 'view';

/** A column as the catalog describes it. */
export interface CatalogColumn {
  name: string;
  /** DuckDB's spelling: `INTEGER`, `VARCHAR`, `DECIMAL(10,2)`… */
  type: string;
}

/**
 * A relation as SQL, every part quoted: `"warehouse"."main"."orders"`.
 *
 * @example
 * relationSql({ database: 'warehouse', schema: 'main', identifier: 'orders' }) // → "warehouse"."main"."orders"
 */
export function relationSql(relation: Relation): string {
  return quoteQualified(relation.database, relation.schema, relation.identifier);
}

/** The same schema, another name: `orders__dbt_tmp` beside `orders`. */
export function siblingRelation(relation: Relation, identifier: string): Relation {
  return { ...relation, identifier };
}

/**
 * A temporary table of this connection (DuckDB keeps them in the `temp` catalog, one per
 * connection, so workers never see each other's).
 */
export function tempRelation(identifier: string): Relation {
  return { database: 'temp', schema: 'main', identifier };
}

/** Whether the relation exists, and as what (names compare case-insensitively, like DuckDB's). */
export async function relationKind(db: Database, relation: Relation): Promise<RelationKind | null> {
  const [kind] = await relationKinds(db, [relation]);
  return kind ?? null;
}

/**
 * What each relation is (null where it does not exist), in one catalog query: they must
 * share a database and schema (a model and its `__dbt_tmp` sibling). DuckDB's own
 * `duckdb_tables()` / `duckdb_views()` answer faster than the `information_schema`
 * views built on them, and a run asks often.
 */
export async function relationKinds(db: Database, relations: readonly Relation[]): Promise<Array<RelationKind | null>> {
  const first = relations[0];
  if (!first) return [];
  if (relations.some((r) => !same(r.database, first.database) || !same(r.schema, first.schema))) {
    throw new Error('relationKinds: the relations must share a database and schema.');
  }
  const rows = await db.all<{ name: string; kind: RelationKind }>(
    `select table_name as name, 'table' as kind from duckdb_tables()
      where lower(database_name) = lower($1) and lower(schema_name) = lower($2)
     union all
     select view_name, 'view' from duckdb_views()
      where lower(database_name) = lower($1) and lower(schema_name) = lower($2) and not internal`,
    [first.database, first.schema],
  );
  const kinds = new Map(rows.map((row) => [row.name.toLowerCase(), row.kind]));
  return relations.map((r) => kinds.get(r.identifier.toLowerCase()) ?? null);
}

/**
 * The relation's columns in order; empty when it does not exist. DESCRIBE binds the one
 * relation, where `information_schema.columns` lists every column of every attached
 * database first (and `pragma_table_info('…')` misreads a name holding a `"`). A missing
 * relation is a binder error, which leaves an open transaction usable (only errors while
 * a statement executes abort it).
 */
export async function relationColumns(db: Database, relation: Relation): Promise<CatalogColumn[]> {
  try {
    const rows = await db.all<{ column_name: string; column_type: string }>(
      `select column_name, column_type from (describe ${relationSql(relation)})`,
    );
    return rows.map((row) => ({ name: row.column_name, type: row.column_type }));
  } catch (error) {
    if (isMissingRelation(error)) return [];
    throw error;
  }
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** `alter table|view <from> rename to <identifier>`: a rename keeps the schema. */
export function renameSql(kind: RelationKind, from: Relation, identifier: string): string {
  return `alter ${kind} ${relationSql(from)} rename to ${quoteIdentifier(identifier)}`;
}

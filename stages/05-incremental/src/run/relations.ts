import { type Database, quoteIdentifier, quoteQualified } from '@mart/shared';
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
  const rows = await db.all<{ table_type: string }>(
    `select table_type from information_schema.tables
      where lower(table_catalog) = lower($1) and lower(table_schema) = lower($2) and lower(table_name) = lower($3)`,
    [relation.database, relation.schema, relation.identifier],
  );
  const type = rows[0]?.table_type;
  if (type === undefined) return null;
  return type === 'VIEW' ? 'view' : 'table';
}

/** The relation's columns in order; empty when it does not exist. */
export async function relationColumns(db: Database, relation: Relation): Promise<CatalogColumn[]> {
  const rows = await db.all<{ column_name: string; data_type: string }>(
    `select column_name, data_type from information_schema.columns
      where lower(table_catalog) = lower($1) and lower(table_schema) = lower($2) and lower(table_name) = lower($3)
      order by ordinal_position`,
    [relation.database, relation.schema, relation.identifier],
  );
  return rows.map((row) => ({ name: row.column_name, type: row.data_type }));
}

/** `drop table` or `drop view`, whichever the relation is; nothing when it does not exist. */
export async function dropRelationSql(db: Database, relation: Relation): Promise<string | null> {
  const kind = await relationKind(db, relation);
  return kind ? `drop ${kind} if exists ${relationSql(relation)}` : null;
}

/** `alter table|view <from> rename to <identifier>`: a rename keeps the schema. */
export function renameSql(kind: RelationKind, from: Relation, identifier: string): string {
  return `alter ${kind} ${relationSql(from)} rename to ${quoteIdentifier(identifier)}`;
}

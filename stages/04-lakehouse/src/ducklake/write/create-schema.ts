import { randomUUID } from 'node:crypto';
import { catalogAlias } from '../lake-session.ts';
import type { SnapshotWriter } from './commit-snapshot.ts';
import { findSchema } from './current-table.ts';
import { quoteChange } from './quote-change.ts';

/**
 * Creates a schema (bronze/silver/gold…): a row in ducklake_schema whose files go
 * under `<data path><name>/`. Returns its id; an existing schema is returned as is.
 */
export async function createSchema(tx: SnapshotWriter, name: string): Promise<number> {
  const existing = await findSchema(tx.db, name);
  if (existing) return existing.schemaId;
  const schemaId = tx.nextCatalogId();
  await tx.db.run(`insert into ${catalogAlias}.ducklake_schema values ($1, $2::uuid, $3, null, $4, $5, true)`, [
    schemaId,
    randomUUID(),
    tx.snapshotId,
    name,
    `${name}/`,
  ]);
  tx.changed(`created_schema:${quoteChange(name)}`);
  tx.schemaChanged(null);
  return schemaId;
}

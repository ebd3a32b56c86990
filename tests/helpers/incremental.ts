import type { Database, Row } from '@mart/shared';

/**
 * Runs the statements a piece returned, in order, inside one transaction (as the runner
 * does), and returns the table's rows afterwards, ordered by every column.
 *
 * @example
 * const rows = await applyAndRead(db, mergeSql(options), '"t"');
 */
export async function applyAndRead(db: Database, statements: readonly string[], table: string): Promise<Row[]> {
  await db.transaction(async () => {
    for (const sql of statements) await db.run(sql);
  });
  return db.all(`select * from ${table} order by all`);
}

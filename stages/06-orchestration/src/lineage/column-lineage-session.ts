import { Database } from '@mart/shared';
import { type ColumnLineageOptions, type ColumnLineageResult, columnLineage } from './column-lineage.ts';

/**
 * {@link columnLineage} for many models, with one in-memory DuckDB to parse their SQL
 * (`json_serialize_sql` reads no table, so no warehouse is needed, and no lock is taken
 * on one a run is writing). The database opens at the first model and closes with the
 * session. It never throws: whatever goes wrong (DuckDB, a tree it did not expect) comes
 * back as one line of `unsupported` and no fields, so lineage costs a facet, never a run.
 *
 * @example
 * const session = new ColumnLineageSession();
 * const { fields } = await session.derive({ sql, columnsOf, datasetOf });
 * session.close();
 */
export class ColumnLineageSession {
  #db: Promise<Database> | undefined;
  #closed = false;

  /** Column lineage of one model's SQL (see {@link columnLineage}). */
  async derive(options: ColumnLineageOptions): Promise<ColumnLineageResult> {
    try {
      if (this.#closed) throw new Error('the session is closed');
      this.#db ??= Database.open(':memory:');
      return await columnLineage(await this.#db, options);
    } catch (error) {
      return { fields: {}, unsupported: [`Column lineage failed: ${(error as Error).message}`] };
    }
  }

  /** Closes the database, if it was opened. */
  async close(): Promise<void> {
    this.#closed = true;
    const db = this.#db;
    this.#db = undefined;
    try {
      (await db)?.close();
    } catch {
      // It never opened: nothing to close.
    }
  }
}

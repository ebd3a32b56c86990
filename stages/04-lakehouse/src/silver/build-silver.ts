import { type Database, quoteIdentifier, quoteLiteral } from '@mart/shared';
import { createDimensionTables, type StarSchemaPieces } from '@mart/stage-01-star-schema';
import { csvTables, loadDateDimension, loadDimension, loadFacts } from '@mart/stage-02-csv-loads';

/** Silver's tables: stage 1's star schema plus what the loader rejected. */
export const silverTables: readonly string[] = [
  'dim_customer',
  'dim_product',
  'dim_store',
  'dim_date',
  'fact_sales',
  'rejected_rows',
];

/** Local copies of the bronze files, by bronze table (customers, products, stores, sales, rejects). */
export type BronzeFiles = Record<string, string[]>;

/**
 * Silver: the conformed star schema (stage 1's tables, stage 2's loading steps) built
 * in `db` from bronze. Bronze keeps every ingest; silver keeps one version of each
 * record — the latest ingest's (then the latest line) — so re-ingesting a corrected
 * file updates the record instead of duplicating it.
 */
export async function buildSilver(
  db: Database,
  bronze: BronzeFiles,
  latestIngest: string,
  starPieces: StarSchemaPieces,
): Promise<void> {
  await createDimensionTables(db);
  for (const table of csvTables) {
    const name = table.file.replace(/\.csv$/, '');
    const files = bronze[name] ?? [];
    if (files.length === 0) throw new Error(`Bronze has no ${name} files yet: run pnpm stage 4 ingest first.`);
    const key = table.key.map(quoteIdentifier).join(', ');
    const columns = table.columns.map((column) => quoteIdentifier(column.name)).join(', ');
    // The typed_* shape stage 2's loading steps expect, with every row already valid.
    await db.run(`
      create or replace temp table ${quoteIdentifier(table.typed)} as
      select ${columns}, _source_line as _line, null::varchar as _problem, null::varchar as _rule
        from read_parquet(${fileList(files)}, union_by_name = true)
     qualify row_number() over (partition by ${key} order by _ingest_id desc, _source_line desc) = 1`);
    if (table.surrogateKey) await loadDimension(db, table);
  }
  await loadDateDimension(db, starPieces);
  await loadFacts(db);
  // What the latest ingest rejected (none, if it rejected nothing): stage 3's checks warn about it.
  await db.run('create table rejected_rows (file varchar, line integer, rule varchar, reason varchar, record varchar)');
  const rejects = bronze.rejects ?? [];
  if (rejects.length > 0) {
    await db.run(
      `insert into rejected_rows
       select file, line, rule, reason, record
         from read_parquet(${fileList(rejects)}, union_by_name = true)
        where _ingest_id = $1`,
      [latestIngest],
    );
  }
}

function fileList(files: readonly string[]): string {
  return `[${files.map(quoteLiteral).join(', ')}]`;
}

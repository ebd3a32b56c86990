import { csvTables } from '@mart/stage-02-csv-loads';

// The earlier stages' data, as assets: which files and tables exist and what each is
// built from. Read from the stages' own definitions where they export them (stage 2's
// input files); stage 4's silver and gold tables are listed here, and
// test/assets-course-layout.test.ts checks the lists against stage 4's code.

/** Stage 2's input files by name: `sales` for sales.csv. */
export const rawFiles: readonly string[] = csvTables.map((table) => table.file.replace(/\.csv$/, ''));

/** Stage 4's bronze tables (Parquet in the bucket, one folder each) and the raw files each lands from. */
export const bronzeTables: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(rawFiles.map((name) => [name, [name]])),
  // Stage 2 checks every sale line against the three dimension files before it lands.
  sales: rawFiles,
  // What stage 2 rejected, from any file.
  rejects: rawFiles,
};

/** Stage 4's silver tables (the conformed star schema) and what each is built from: bronze tables and other silver tables. */
export const silverTables: Readonly<Record<string, readonly string[]>> = {
  dim_customer: ['bronze/customers'],
  dim_product: ['bronze/products'],
  dim_store: ['bronze/stores'],
  // The calendar spans the years of the sales.
  dim_date: ['bronze/sales'],
  fact_sales: ['bronze/sales', 'silver/dim_customer', 'silver/dim_product', 'silver/dim_store'],
  rejected_rows: ['bronze/rejects'],
};

/** Stage 4's gold marts and the silver tables their SQL reads. */
export const goldTables: Readonly<Record<string, readonly string[]>> = {
  revenue_by_month: ['silver/fact_sales', 'silver/dim_date'],
  revenue_by_category: ['silver/fact_sales', 'silver/dim_product'],
  store_performance: ['silver/fact_sales', 'silver/dim_store'],
};

import type { ColumnSpec } from './given/index.ts';

/** One input file: its columns and rules, its key, and the star-schema table it feeds. */
export interface CsvTable {
  /** File name inside the input folder. */
  file: string;
  /** Staging table: every column as text, plus `_line`. */
  staging: string;
  /** Typed table: typed columns plus `_line`, `_problem`, `_rule`; dropped after the build. */
  typed: string;
  /** Where its good rows end up. */
  target: string;
  /** The columns the file must have (any order, any case) and how to type each. */
  columns: readonly ColumnSpec[];
  /** Columns that identify one row; later copies are duplicates. */
  key: readonly string[];
  /** For a dimension: its surrogate-key column, numbered 1…n in natural-key order. */
  surrogateKey?: string;
}

const text = (name: string, required = false): ColumnSpec => ({ name, type: 'text', required });

export const customersCsv: CsvTable = {
  file: 'customers.csv',
  staging: 'stg_customers',
  typed: 'typed_customers',
  target: 'dim_customer',
  surrogateKey: 'customer_key',
  key: ['customer_id'],
  columns: [
    text('customer_id', true),
    text('name', true),
    text('email'),
    text('city'),
    text('country'),
    text('segment'),
    { name: 'signup_date', type: 'date', required: false },
  ],
};

export const productsCsv: CsvTable = {
  file: 'products.csv',
  staging: 'stg_products',
  typed: 'typed_products',
  target: 'dim_product',
  surrogateKey: 'product_key',
  key: ['product_id'],
  columns: [
    text('product_id', true),
    text('name', true),
    text('category', true),
    text('brand'),
    { name: 'list_price', type: 'decimal', required: false, rule: 'not-negative' },
  ],
};

export const storesCsv: CsvTable = {
  file: 'stores.csv',
  staging: 'stg_stores',
  typed: 'typed_stores',
  target: 'dim_store',
  surrogateKey: 'store_key',
  key: ['store_id'],
  columns: [
    text('store_id', true),
    text('name', true),
    text('city'),
    text('region', true),
    text('channel'),
    { name: 'opened_date', type: 'date', required: false },
  ],
};

export const salesCsv: CsvTable = {
  file: 'sales.csv',
  staging: 'stg_sales',
  typed: 'typed_sales',
  target: 'fact_sales',
  key: ['sale_id', 'line_number'],
  columns: [
    text('sale_id', true),
    { name: 'line_number', type: 'integer', required: true, rule: 'positive' },
    { name: 'sale_date', type: 'date', required: true },
    text('customer_id', true),
    text('product_id', true),
    text('store_id', true),
    { name: 'quantity', type: 'integer', required: true, rule: 'positive' },
    { name: 'unit_price', type: 'decimal', required: true, rule: 'not-negative' },
  ],
};

/** The four files, dimensions first: sales are checked against the loaded dimensions. */
export const csvTables: readonly CsvTable[] = [customersCsv, productsCsv, storesCsv, salesCsv];

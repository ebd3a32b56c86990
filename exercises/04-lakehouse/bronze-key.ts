import { NotImplementedError } from '@mart/shared';
import type { BronzeObject } from '@mart/stage-04-lakehouse/given';

/**
 * Exercise: where a bronze file goes in the bucket — a partitioned key layout.
 *
 * Object storage has no folders, only keys; `/` in a key is a convention every tool
 * (the console, `aws s3 ls`, DuckDB's hive_partitioning) reads as folders. Hive-style
 * partitions put a column's value into the key as `name=value`, so a reader that wants
 * one day lists one prefix instead of reading everything.
 *
 * Return `bronze/<table>/[<col>=<value>/…]part-<ingestId>[-<part>].parquet`:
 *   { table: 'customers', ingestId: '20241201T080000Z' }
 *     → 'bronze/customers/part-20241201T080000Z.parquet'
 *   { table: 'sales', ingestId: 'X', partition: { sale_date: '2024-03-01' }, part: 2 }
 *     → 'bronze/sales/sale_date=2024-03-01/part-X-2.parquet'
 *
 * Partition values are escaped with encodeURIComponent (a `/` or `=` inside a value
 * must not create another folder); an empty value is Hive's
 * `__HIVE_DEFAULT_PARTITION__`. Table names, column names and ingest ids must be
 * non-empty and made of letters, digits, `_` and `-`: throw an Error naming the bad one.
 *
 * API: plain TypeScript, no database or network: `encodeURIComponent('a/b')` → 'a%2Fb',
 * `Object.entries(partition)` gives the partition columns in folder order. The stage
 * uploads each bronze file under your key (with uploadFile) and reads it back by key.
 *
 * What gets a key: the bronze tables customers, products, stores and rejects (the
 * records stage 2 rejected), one file each per ingest, and sales, partitioned by
 * sale_date ('YYYY-MM-DD'): one folder per day.
 *
 * Careful: `part: 0` is a part number (…-0.parquet); only a missing `part` means none.
 * `table` is the bronze name ('sales'), not the warehouse's (fact_sales).
 *
 * @example
 * bronzeKey({ table: 'stores', ingestId: 'A1' }) // → 'bronze/stores/part-A1.parquet'
 */
export function bronzeKey(object: BronzeObject): string {
  throw new NotImplementedError('04-lakehouse/bronze-key');
}

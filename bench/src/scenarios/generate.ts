import { join } from 'node:path';
import type { Scenario } from '../scenario.ts';

/**
 * Writing the synthetic dataset. Ours writes all six files (the sales lines are almost
 * all of the bytes); the baseline has DuckDB write a sales file of the same rows and
 * columns from `range()`, which is about as fast as a CSV of that size can be written.
 */
export const generate: Scenario = {
  name: 'generate',
  description: 'generateDataset (six CSV files) vs DuckDB COPY of a same-shaped sales.csv from range()',
  async ours() {
    const { generateDataset } = await import('@mart/shared');
    return async ({ rows, runDir }) => {
      generateDataset({ rows, seed: 42, outDir: runDir });
    };
  },
  async baseline() {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    return async ({ rows, runDir }) => {
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      try {
        await connection.run(salesCopySql(rows, join(runDir, 'sales.csv')));
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
    };
  },
};

/**
 * Same columns and formats as the generator's sales.csv ('T00000001', 'C000042', dates,
 * two-decimal prices), with keys spread over dimensions of the generator's sizes.
 */
function salesCopySql(rows: number, path: string): string {
  const customers = clamp(Math.round(rows / 40), 20, 200_000);
  const products = clamp(Math.round(rows / 400), 15, 5_000);
  const stores = clamp(Math.round(rows / 25_000), 5, 400);
  // Customer and store belong to the sale (three lines each), the product to the line.
  const key = (prefix: string, of: string, salt: number, count: number, width: number) =>
    `'${prefix}' || lpad(cast(hash(${of}, ${salt}) % ${count} + 1 as varchar), ${width}, '0')`;
  return `
    copy (
      select
        'T' || lpad(cast(i // 3 + 1 as varchar), 8, '0') as sale_id,
        i % 3 + 1 as line_number,
        date '2024-01-01' + cast(hash(i // 3, 0) % 365 as integer) as sale_date,
        ${key('C', 'i // 3', 1, customers, 6)} as customer_id,
        ${key('P', 'i', 2, products, 5)} as product_id,
        ${key('S', 'i // 3', 3, stores, 3)} as store_id,
        1 + cast(floor(random() * 5) as integer) as quantity,
        cast(round(1 + random() * 499, 2) as decimal(10, 2)) as unit_price
      from range(${rows}) t(i)
    ) to '${path.replaceAll("'", "''")}' (header)`;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CustomerRecord, type DailyBatch, salesHeader, toCsv } from '@mart/shared';
import type { SeedDimensions } from './seed-dimensions.ts';

/**
 * One day's ingest folder, the four files stage 4's ingest reads: that day's sales
 * batch, the customers as of that day, and the seeds' (clean) products and stores.
 */
export function writeDayFiles(dir: string, batch: DailyBatch, seeds: SeedDimensions): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'sales.csv'), `${[salesHeader, ...batch.sales].join('\n')}\n`);
  const customerColumns: Array<keyof CustomerRecord> = [
    'customer_id',
    'name',
    'email',
    'city',
    'country',
    'segment',
    'signup_date',
  ];
  writeFileSync(join(dir, 'customers.csv'), toCsv(batch.customers, customerColumns));
  writeFileSync(
    join(dir, 'products.csv'),
    toCsv(seeds.products, ['product_id', 'name', 'category', 'brand', 'list_price']),
  );
  writeFileSync(
    join(dir, 'stores.csv'),
    toCsv(seeds.stores, ['store_id', 'name', 'city', 'region', 'channel', 'opened_date']),
  );
}

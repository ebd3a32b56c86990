import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { generateDataset } from '../src/generator/generate-dataset.ts';
import { tempDir } from '../src/testing/temp-dir.ts';

const dir = tempDir('generator');
afterAll(() => dir.remove());

function generate(name: string, rows: number, seed: number, dailyBatches = false) {
  const outDir = join(dir.path, name);
  const files = generateDataset({ rows, seed, outDir, dailyBatches });
  const read = (file: string) => readFileSync(join(outDir, file), 'utf8');
  return { outDir, files, read };
}

const dataLines = (text: string) => text.trimEnd().split('\n').slice(1);

describe('generateDataset', () => {
  test('same seed → the same bytes; another seed → different data', () => {
    const a = generate('a', 5_000, 7);
    const b = generate('b', 5_000, 7);
    const c = generate('c', 5_000, 8);
    for (const file of Object.keys(a.files)) expect(b.read(file), file).toBe(a.read(file));
    expect(c.read('sales.csv')).not.toBe(a.read('sales.csv'));
  });

  test('writes the four stage 2 files plus the history files, with the reported row counts', () => {
    const { files, read } = generate('counts', 2_000, 1);
    expect(Object.keys(files).sort()).toEqual([
      'customer_changes.csv',
      'customers.csv',
      'product_prices.csv',
      'products.csv',
      'sales.csv',
      'stores.csv',
    ]);
    for (const [file, rows] of Object.entries(files)) expect(dataLines(read(file)), file).toHaveLength(rows);
    expect(files['sales.csv']).toBe(2_000);
    expect(read('sales.csv').split('\n')[0]).toBe(
      'sale_id,line_number,sale_date,customer_id,product_id,store_id,quantity,unit_price',
    );
  });

  test('sales point at generated customers, products and stores, and (sale_id, line_number) is unique', () => {
    const { read } = generate('keys', 3_000, 3);
    const ids = (file: string) => new Set(dataLines(read(file)).map((line) => line.split(',')[0]));
    const [customers, products, stores] = [ids('customers.csv'), ids('products.csv'), ids('stores.csv')];
    const keys = new Set<string>();
    for (const line of dataLines(read('sales.csv'))) {
      const [sale, number, date, customer, product, store, quantity, price] = line.split(',');
      keys.add(`${sale}/${number}`);
      expect(customers.has(customer)).toBe(true);
      expect(products.has(product)).toBe(true);
      expect(stores.has(store)).toBe(true);
      expect(date).toMatch(/^2024-\d\d-\d\d$/);
      expect(Number(quantity)).toBeGreaterThan(0);
      expect(Number(price)).toBeGreaterThanOrEqual(0);
    }
    expect(keys.size).toBe(3_000);
  });

  test('history: some customers change over time and some products change price', () => {
    const { files } = generate('history', 20_000, 5);
    expect(files['customer_changes.csv']).toBeGreaterThan(files['customers.csv'] ?? 0);
    expect(files['product_prices.csv']).toBeGreaterThan(files['products.csv'] ?? 0);
  });

  test('daily batches hold every sale line once, plus late arrivals and corrections', () => {
    const { outDir, read } = generate('batches', 20_000, 9, true);
    const batchFiles = readdirSync(join(outDir, 'batches')).sort();
    expect(batchFiles[0]).toMatch(/^sales-2024-01-\d\d\.csv$/);
    let late = 0;
    const seen = new Map<string, number>();
    for (const file of batchFiles) {
      const arrival = file.slice('sales-'.length, -'.csv'.length);
      for (const line of dataLines(read(join('batches', file)))) {
        const [sale, number, date] = line.split(',');
        if ((date ?? '') < arrival) late++;
        seen.set(`${sale}/${number}`, (seen.get(`${sale}/${number}`) ?? 0) + 1);
      }
    }
    expect(seen.size).toBe(20_000); // every line of sales.csv arrives
    const corrections = [...seen.values()].filter((count) => count > 1).length;
    expect(late).toBeGreaterThan(500); // ~5% arrive 1–3 days late
    expect(corrections).toBeGreaterThan(50); // ~1% are re-sent with another quantity
  });
});

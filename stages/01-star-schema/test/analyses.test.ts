import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { analyses, findAnalysis } from '../src/index.ts';
import type { StarSchemaPieces } from '../src/pieces.ts';
import { products, saleLines, stores } from '../src/seed/index.ts';
import {
  referenceStarPieces,
  referenceWarehouse,
  type TemporaryWarehouse,
} from '../src/testing/reference-warehouse.ts';

// Each analysis is checked against totals computed here in TypeScript from the seed
// rows, never against another SQL query. Money is compared in cents.
const cents = (line: { quantity: number; unit_price: number }) => line.quantity * Math.round(line.unit_price * 100);
const sumCents = (lines: typeof saleLines) => lines.reduce((sum, line) => sum + cents(line), 0);
const toCents = (value: unknown) => Math.round(Number(value) * 100);
const productOf = (id: string) => products.find((product) => product.product_id === id);

describe('stage 1 analyses', () => {
  let warehouse: TemporaryWarehouse;
  let reference: StarSchemaPieces;
  const run = (name: string, params: Partial<{ limit: number; from: string; to: string }> = {}) =>
    findAnalysis(name).run(warehouse.db, reference, { limit: 5, from: '2024-01-01', to: '2024-12-31', ...params });

  beforeAll(async () => {
    warehouse = await referenceWarehouse();
    reference = await referenceStarPieces();
  });
  afterAll(() => warehouse?.close());

  test('there are at least six analyses with unique names', () => {
    expect(analyses.length).toBeGreaterThanOrEqual(6);
    expect(new Set(analyses.map((analysis) => analysis.name)).size).toBe(analyses.length);
  });

  test('revenue-by-category: revenue and units per category, shares add to 100', async () => {
    const rows = await run('revenue-by-category');
    const categories = [...new Set(products.map((product) => product.category))];
    for (const category of categories) {
      const lines = saleLines.filter((line) => productOf(line.product_id)?.category === category);
      const row = rows.find((candidate) => candidate.category === category);
      expect(toCents(row?.revenue)).toBe(sumCents(lines));
      expect(row?.units).toBe(lines.reduce((sum, line) => sum + line.quantity, 0));
    }
    expect(rows.reduce((sum, row) => sum + Number(row.share_pct), 0)).toBeCloseTo(100, 0);
  });

  test('monthly-trend: one row per month and a bar per month', async () => {
    const rows = await run('monthly-trend');
    const months = [...new Set(saleLines.map((line) => line.sale_date.slice(0, 7)))].sort();
    expect(rows.map((row) => row.month)).toEqual(months);
    const march = saleLines.filter((line) => line.sale_date.startsWith('2024-03'));
    expect(toCents(rows.find((row) => row.month === '2024-03')?.revenue)).toBe(sumCents(march));
    expect(findAnalysis('monthly-trend').chart?.(rows)).toHaveLength(months.length);
  });

  test('top-customers: honours the limit and ranks by revenue', async () => {
    const rows = await run('top-customers', { limit: 3 });
    expect(rows).toHaveLength(3);
    const revenues = rows.map((row) => Number(row.revenue));
    expect([...revenues].sort((a, b) => b - a)).toEqual(revenues);
    const best = rows[0]?.customer_id as string;
    expect(toCents(rows[0]?.revenue)).toBe(sumCents(saleLines.filter((line) => line.customer_id === best)));
  });

  test('store-performance: every store with its region', async () => {
    const rows = await run('store-performance');
    expect(rows.map((row) => row.store_id).sort()).toEqual(stores.map((store) => store.store_id).sort());
    for (const store of stores) {
      const row = rows.find((candidate) => candidate.store_id === store.store_id);
      expect(row?.region).toBe(store.region);
      expect(toCents(row?.revenue)).toBe(sumCents(saleLines.filter((line) => line.store_id === store.store_id)));
    }
  });

  test('product-mix: every product, unsold ones with 0, shares per category add to 100', async () => {
    const rows = await run('product-mix');
    expect(rows).toHaveLength(products.length);
    for (const product of products) {
      const lines = saleLines.filter((line) => line.product_id === product.product_id);
      const row = rows.find((candidate) => candidate.product_id === product.product_id);
      expect(row?.units).toBe(lines.reduce((sum, line) => sum + line.quantity, 0));
      expect(toCents(row?.revenue)).toBe(sumCents(lines));
    }
    const footwear = rows.filter((row) => row.category === 'Footwear');
    expect(footwear.reduce((sum, row) => sum + Number(row.share_of_category_pct), 0)).toBeCloseTo(100, 0);
  });

  test('revenue-between: both ends included', async () => {
    const [row] = await run('revenue-between', { from: '2024-03-01', to: '2024-05-31' });
    const lines = saleLines.filter((line) => line.sale_date >= '2024-03-01' && line.sale_date <= '2024-05-31');
    expect(row).toMatchObject({
      from_date: '2024-03-01',
      to_date: '2024-05-31',
      sales: new Set(lines.map((line) => line.sale_id)).size,
      units: lines.reduce((sum, line) => sum + line.quantity, 0),
    });
    expect(toCents(row?.revenue)).toBe(sumCents(lines));
    const firstDay = saleLines[0]?.sale_date ?? '';
    const [single] = await run('revenue-between', { from: firstDay, to: firstDay });
    expect(toCents(single?.revenue)).toBe(sumCents(saleLines.filter((line) => line.sale_date === firstDay)));
  });
});

import { saleLines, stores } from '@mart/stage-01-star-schema/seed';
import { storePerformance } from '@mart/track/01-star-schema';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  addSale,
  lineAmount,
  referenceWarehouse,
  rolledBack,
  type TemporaryWarehouse,
} from '../helpers/reference-warehouse.ts';

describe('store-performance', () => {
  let warehouse: TemporaryWarehouse;
  beforeAll(async () => {
    warehouse = await referenceWarehouse();
  });
  afterAll(() => warehouse?.close());

  test('every store appears exactly once, including one with no sales', async () => {
    const rows = await storePerformance(warehouse.db);
    expect(rows.map((row) => row.store_id).sort()).toEqual(stores.map((store) => store.store_id).sort());
    const unsold = stores.filter((store) => !saleLines.some((line) => line.store_id === store.store_id));
    expect(unsold.length).toBeGreaterThan(0);
    for (const store of unsold) {
      expect(rows.find((row) => row.store_id === store.store_id)).toMatchObject({ revenue: 0, sales: 0, units: 0 });
    }
  });

  test('each store carries its name and region from dim_store', async () => {
    const rows = await storePerformance(warehouse.db);
    for (const store of stores) {
      expect(rows.find((row) => row.store_id === store.store_id)).toMatchObject({
        store_name: store.name,
        region: store.region,
      });
    }
  });

  test('revenue, sales and units per store match the seed rows', async () => {
    const rows = await storePerformance(warehouse.db);
    for (const store of stores) {
      const lines = saleLines.filter((line) => line.store_id === store.store_id);
      const row = rows.find((candidate) => candidate.store_id === store.store_id);
      expect(Math.round((row?.revenue ?? Number.NaN) * 100)).toBe(
        lines.reduce((sum, line) => sum + lineAmount(line), 0),
      );
      expect(row?.sales).toBe(new Set(lines.map((line) => line.sale_id)).size);
      expect(row?.units).toBe(lines.reduce((sum, line) => sum + line.quantity, 0));
    }
  });

  test('stores with the same revenue (at the top, and at 0 without sales) are ordered by store_id', async () => {
    const cents = new Map(stores.map((store) => [store.store_id, 0]));
    for (const line of saleLines) cents.set(line.store_id, (cents.get(line.store_id) ?? 0) + lineAmount(line));
    const [bestId, bestCents] = [...cents].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0] ?? ['', 0];
    const rows = await rolledBack(warehouse.db, async () => {
      // Added out of id order: S99 and S00 sell nothing (a tie with the unsold store at 0),
      // S50 sells exactly as much as the best store.
      const lastKey = await warehouse.db.value<number>('select max(store_key) from dim_store');
      for (const [i, id] of ['S99', 'S50', 'S00'].entries()) {
        await warehouse.db.run('insert into dim_store (store_key, store_id, name, region) values ($1, $2, $3, $4)', [
          lastKey + i + 1,
          id,
          `New ${id}`,
          'South',
        ]);
        cents.set(id, 0);
      }
      await addSale(warehouse.db, { saleId: 'TIE-S50', storeKey: lastKey + 2, cents: bestCents });
      cents.set('S50', bestCents);
      return storePerformance(warehouse.db);
    });
    const expected = [...cents].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
    expect(expected.slice(0, 2).map(([id]) => id)).toEqual([bestId, 'S50'].sort()); // the tie at the top
    expect(rows.map((row) => [row.store_id, row.revenue])).toEqual(expected.map(([id, c]) => [id, c / 100]));
  });

  test('ordered by revenue, highest first, then store_id', async () => {
    const rows = await storePerformance(warehouse.db);
    const sorted = [...rows].sort((a, b) => b.revenue - a.revenue || a.store_id.localeCompare(b.store_id));
    expect(rows.map((row) => row.store_id)).toEqual(sorted.map((row) => row.store_id));
  });
});

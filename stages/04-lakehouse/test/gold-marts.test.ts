import type { Database, Row } from '@mart/shared';
import { analyses } from '@mart/stage-01-star-schema';
import { referenceStarPieces, referenceWarehouse, type TemporaryWarehouse } from '@mart/stage-01-star-schema/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { goldMarts } from '../src/gold/gold-marts.ts';

// Gold computes what stage 1's analyses compute, under the same names and types: one name
// per measure across the course (revenue, sales = distinct sale_id, units).
describe('gold marts agree with stage 1', () => {
  let warehouse: TemporaryWarehouse;
  beforeAll(async () => {
    warehouse = await referenceWarehouse();
  });
  afterAll(() => warehouse?.close());

  const types = async (db: Database, sql: string) =>
    Object.fromEntries(
      (await db.all<{ column_name: string; column_type: string }>(`describe (${sql})`)).map((column) => [
        column.column_name,
        column.column_type,
      ]),
    );
  const without = (rows: Row[], column: string) => rows.map(({ [column]: _, ...rest }) => rest);

  test('revenue_by_month is revenueByMonth: month, revenue, sales, units', async () => {
    const { db } = warehouse;
    expect(await types(db, goldMarts.revenue_by_month ?? '')).toEqual({
      month: 'VARCHAR',
      revenue: 'DOUBLE',
      sales: 'INTEGER',
      units: 'INTEGER',
    });
    const pieces = await referenceStarPieces();
    expect(await db.all(goldMarts.revenue_by_month ?? '')).toEqual(await pieces.revenueByMonth(db));
  });

  test('store_performance is storePerformance (plus the store channel)', async () => {
    const { db } = warehouse;
    expect(await types(db, goldMarts.store_performance ?? '')).toEqual({
      store_id: 'VARCHAR',
      store_name: 'VARCHAR',
      region: 'VARCHAR',
      channel: 'VARCHAR',
      revenue: 'DOUBLE',
      sales: 'INTEGER',
      units: 'INTEGER',
    });
    const pieces = await referenceStarPieces();
    expect(without(await db.all(goldMarts.store_performance ?? ''), 'channel')).toEqual(
      await pieces.storePerformance(db),
    );
  });

  test('revenue_by_category is the revenue-by-category analysis (plus distinct customers)', async () => {
    const { db } = warehouse;
    expect(await types(db, goldMarts.revenue_by_category ?? '')).toEqual({
      category: 'VARCHAR',
      revenue: 'DOUBLE',
      units: 'INTEGER',
      share_pct: 'DOUBLE',
      customers: 'INTEGER',
    });
    const analysis = analyses.find((candidate) => candidate.name === 'revenue-by-category');
    const stage1 = await analysis?.run(db, await referenceStarPieces(), { limit: 5, from: '', to: '' });
    expect(without(await db.all(goldMarts.revenue_by_category ?? ''), 'customers')).toEqual(stage1);
  });
});

import { Database, insertRows, quoteIdentifier } from '@mart/shared';
import type { FreshnessCheck } from '@mart/stage-03-quality/given';
import { pinnedNow, runPiece } from '@mart/stage-03-quality/testing';
import { checkFreshness } from '@mart/track/03-quality';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';

// The pinned clock: every age below is relative to it, never to the real clock.
const now = '2024-12-31T00:00:00.000Z';

const saleDateCheck: FreshnessCheck = {
  type: 'freshness',
  table: 'fact_sales',
  name: 'freshness(sale_date)',
  column: 'sale_date',
  fail: { max_age: '7d' },
};

const soldAtCheck: FreshnessCheck = {
  type: 'freshness',
  table: 'fact_sales',
  name: 'freshness(sold_at)',
  column: 'sold_at',
};

describe('freshness', () => {
  let db: Database;
  beforeEach(async () => {
    db = await Database.open(':memory:');
    await db.run('create table fact_sales (sale_id varchar, sale_date date, sold_at timestamp, date_key integer)');
  });
  afterEach(() => db?.close());

  /** Sales with these timestamps (UTC); sale_date and date_key are their day. */
  async function sales(timestamps: string[]) {
    await insertRows(
      db,
      'fact_sales',
      timestamps.map((soldAt, i) => ({
        sale_id: `T${i + 1}`,
        sale_date: soldAt.slice(0, 10),
        sold_at: soldAt,
        date_key: Number(soldAt.slice(0, 10).replaceAll('-', '')),
      })),
    );
  }

  test('a DATE column: the age of the newest date (its midnight, UTC) in hours, measured in one query', async () => {
    expect(pinnedNow.toISOString()).toBe(now);
    await sales(['2024-12-01 09:00:00', '2024-12-29 18:00:00', '2024-12-15 12:00:00']);
    const { result, queries } = await runPiece(db, saleDateCheck, checkFreshness);
    expect(result).toMatchObject({
      id: 'fact_sales.freshness(sale_date)',
      type: 'freshness',
      metric: 'age_hours',
      value: 48,
      percent: null,
      outcome: 'pass',
    });
    expect(queries).toBe(1);
  });

  test('a TIMESTAMP column: exact, fractional hours; too old fails', async () => {
    await sales(['2024-12-01 09:00:00', '2024-12-30 13:30:00', '2024-12-15 12:00:00']);
    const check: FreshnessCheck = { ...soldAtCheck, fail: { max_age: '6h' } };
    const { result, queries } = await runPiece(db, check, checkFreshness);
    expect(result).toMatchObject({ metric: 'age_hours', value: 10.5, percent: null, outcome: 'fail' });
    expect(queries).toBe(1);
  });

  test('the age is measured from the clock the runner passes, not the real one', async () => {
    await sales(['2024-12-29 00:00:00']);
    expect((await runPiece(db, saleDateCheck, checkFreshness)).result).toMatchObject({ value: 48 });

    const later = new Date('2025-01-09T12:00:00Z');
    const { result } = await runPiece(db, saleDateCheck, checkFreshness, later);
    expect(result).toMatchObject({ value: 276, outcome: 'fail' });
  });

  test("warn max_age '2d': exactly 48 hours old passes, one hour more warns", async () => {
    const check: FreshnessCheck = { ...soldAtCheck, warn: { max_age: '2d' } };
    await sales(['2024-12-20 00:00:00', '2024-12-29 00:00:00']);
    expect((await runPiece(db, check, checkFreshness)).result).toMatchObject({ value: 48, outcome: 'pass' });

    await db.run("update fact_sales set sold_at = '2024-12-28 23:00:00' where sale_id = 'T2'");
    expect((await runPiece(db, check, checkFreshness)).result).toMatchObject({ value: 49, outcome: 'warn' });
  });

  test('the fail threshold beats warn; between the two, warn applies', async () => {
    const check: FreshnessCheck = { ...soldAtCheck, fail: { max_age: '36h' }, warn: { max_age: '1d' } };
    await sales(['2024-12-29 00:00:00']);
    expect((await runPiece(db, check, checkFreshness)).result).toMatchObject({ value: 48, outcome: 'fail' });

    await db.run("update fact_sales set sold_at = '2024-12-30 00:00:00'");
    expect((await runPiece(db, check, checkFreshness)).result).toMatchObject({ value: 24, outcome: 'pass' });

    await db.run("update fact_sales set sold_at = '2024-12-29 18:00:00'");
    expect((await runPiece(db, check, checkFreshness)).result).toMatchObject({ value: 30, outcome: 'warn' });
  });

  test('an expression instead of a column, used as is', async () => {
    await sales(['2024-12-30 18:00:00', '2024-11-02 10:00:00']);
    // The loaded day lags the sale: only the expression gives 48 hours (sale_date would give 24).
    await db.run("update fact_sales set date_key = 20241229 where sale_id = 'T1'");
    const check: FreshnessCheck = {
      type: 'freshness',
      table: 'fact_sales',
      name: 'freshness(date_key)',
      expression: "strptime(date_key::varchar, '%Y%m%d')",
      fail: { max_age: '1d' },
    };
    const { result, queries } = await runPiece(db, check, checkFreshness);
    expect(result).toMatchObject({ metric: 'age_hours', value: 48, outcome: 'fail' });
    expect(queries).toBe(1);
  });

  test('a column name that needs quoting (a space, a double quote)', async () => {
    const table = 'fact "odd" sales';
    const column = 'sold "at"';
    await db.run(`create table ${quoteIdentifier(table)} ("sale id" varchar, ${quoteIdentifier(column)} timestamp)`);
    await insertRows(db, table, [
      { 'sale id': 'T1', [column]: '2024-12-30 12:00:00' },
      { 'sale id': 'T2', [column]: '2024-12-01 12:00:00' },
    ]);
    const check: FreshnessCheck = { type: 'freshness', table, name: 'freshness(sold "at")', column };
    const { result } = await runPiece(db, { ...check, warn: { max_age: '1d' } }, checkFreshness);
    expect(result).toMatchObject({ metric: 'age_hours', value: 12, outcome: 'pass' });
  });

  test('an empty table has no newest row: outcome error, no value', async () => {
    const { result } = await runPiece(db, saleDateCheck, checkFreshness);
    expect(result).toMatchObject({ outcome: 'error', value: null });
  });

  test('a TIMESTAMPTZ column is exact whatever the session time zone', async () => {
    // A learner's machine may not be on UTC; DuckDB takes its session time zone from it.
    await db.run(`set TimeZone = 'America/New_York';
      create table events (id integer, seen_at timestamptz);
      insert into events values (1, '2024-12-29 00:00:00+00:00'), (2, '2024-12-20 00:00:00+00:00')`);
    const check: FreshnessCheck = {
      type: 'freshness',
      table: 'events',
      name: 'freshness(seen_at)',
      column: 'seen_at',
      fail: { max_age: '2d' },
    };
    const { result } = await runPiece(db, check, checkFreshness);
    expect(result).toMatchObject({ value: 48, outcome: 'pass' });
  });
});

import { describe, expect, test } from 'vitest';
import { type CustomerRecord, type DailyDimensions, dailyBatch } from '../src/generator/daily-batch.ts';

const customers: CustomerRecord[] = Array.from({ length: 30 }, (_, i) => ({
  customer_id: `C${String(i + 1).padStart(6, '0')}`,
  name: `Customer ${i + 1}`,
  email: `c${i + 1}@example.com`,
  city: 'London',
  country: 'UK',
  segment: 'Consumer',
  signup_date: '2023-05-01',
}));
const dimensions: DailyDimensions = {
  customers,
  products: [
    { product_id: 'P00001', list_price: 10 },
    { product_id: 'P00002', list_price: 25.5 },
  ],
  stores: [{ store_id: 'S001' }, { store_id: 'S002' }],
};
const options = { seed: 7, firstDay: '2025-01-01', linesPerDay: 200, dimensions };
const days = Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10));
const batches = days.map((day) => ({ day, batch: dailyBatch({ ...options, day }) }));

const parse = (line: string) => {
  const [sale_id, line_number, sale_date, customer_id, product_id, store_id, quantity, unit_price] = line.split(',');
  return { key: `${sale_id}/${line_number}`, sale_date, customer_id, product_id, store_id, quantity, unit_price };
};

describe('dailyBatch', () => {
  test('the same day is the same batch, byte for byte, whether made alone or in a sequence', () => {
    expect(dailyBatch({ ...options, day: '2025-01-17' })).toEqual(batches[16]?.batch);
    expect(dailyBatch({ ...options, day: '2025-01-17', seed: 8 }).sales).not.toEqual(batches[16]?.batch.sales);
  });

  test('lines arrive on their day or up to 3 days late; corrections re-send an earlier line with another quantity', () => {
    const seen = new Map<string, { quantity: string | undefined; arrived: string }>();
    let late = 0;
    let corrections = 0;
    for (const { day, batch } of batches) {
      for (const line of batch.sales.map(parse)) {
        const lateDays = (Date.parse(day) - Date.parse(line.sale_date ?? '')) / 86_400_000;
        expect(lateDays).toBeGreaterThanOrEqual(0);
        expect(lateDays).toBeLessThanOrEqual(5);
        const earlier = seen.get(line.key);
        if (earlier) {
          // A correction: same line, new quantity, 1–2 days after the line arrived.
          corrections++;
          expect(line.quantity).not.toBe(earlier.quantity);
          const delay = (Date.parse(day) - Date.parse(earlier.arrived)) / 86_400_000;
          expect(delay).toBeGreaterThanOrEqual(1);
          expect(delay).toBeLessThanOrEqual(2);
        } else {
          if (lateDays > 0) late++;
          expect(lateDays).toBeLessThanOrEqual(3);
          seen.set(line.key, { quantity: line.quantity, arrived: day });
        }
      }
    }
    const total = [...seen.keys()].length;
    // About 5% late and 1% corrected (40 days × ~200 lines): loose bounds, exact counts vary.
    expect(late / total).toBeGreaterThan(0.02);
    expect(late / total).toBeLessThan(0.09);
    expect(corrections).toBeGreaterThan(0);
    expect(corrections / total).toBeLessThan(0.03);
    const counted = batches.reduce((sum, { batch }) => sum + batch.counts.late + batch.counts.corrections, 0);
    expect(counted).toBe(late + corrections);
  });

  test('sale ids have 12 digits (never a seed id) and every line uses the dimensions', () => {
    for (const line of batches[3]?.batch.sales.map(parse) ?? []) {
      expect(line.key).toMatch(/^T\d{12}\/\d$/);
      expect(customers.map((c) => c.customer_id)).toContain(line.customer_id);
      expect(['S001', 'S002']).toContain(line.store_id);
    }
  });

  test('customers change over the days and keep each change: the history an SCD2 snapshot sees', () => {
    const first = batches[0]?.batch.customers ?? [];
    const last = batches.at(-1)?.batch.customers ?? [];
    const changed = last.filter((customer, i) => JSON.stringify(customer) !== JSON.stringify(first[i]));
    expect(changed.length).toBeGreaterThan(0);
    // A customer's state on a day only depends on the days before: day 20 is between.
    for (const customer of changed) {
      const ids = batches.map(({ batch }) => batch.customers.find((c) => c.customer_id === customer.customer_id));
      expect(ids[ids.length - 1]).toEqual(customer);
    }
    expect(last.map((customer) => customer.customer_id)).toEqual(customers.map((customer) => customer.customer_id));
  });
});

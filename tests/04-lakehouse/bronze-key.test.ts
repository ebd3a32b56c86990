import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database, MartPaths, MineScope, quoteLiteral } from '@mart/shared';
import { seedInputDir } from '@mart/stage-02-csv-loads/testing';
import { ingestFiles, s3TestLake } from '@mart/stage-04-lakehouse/testing';
import * as track from '@mart/track/04-lakehouse';
import { describe, expect, test } from 'vitest';
import { piecesWith } from '../helpers/lake.ts';

describe('bronze-key', () => {
  test('a table without partitions: bronze/<table>/part-<ingest>.parquet, a part number when given (even 0)', () => {
    expect(track.bronzeKey({ table: 'customers', ingestId: '20241201T080000Z' })).toBe(
      'bronze/customers/part-20241201T080000Z.parquet',
    );
    expect(track.bronzeKey({ table: 'stores', ingestId: 'A1', part: 3 })).toBe('bronze/stores/part-A1-3.parquet');
    expect(track.bronzeKey({ table: 'stores', ingestId: 'A1', part: 0 })).toBe('bronze/stores/part-A1-0.parquet');
    // Letters, digits, _ and - are all fine in names.
    expect(track.bronzeKey({ table: 'fact_sales-2', ingestId: '2024-12-01T08_00' })).toBe(
      'bronze/fact_sales-2/part-2024-12-01T08_00.parquet',
    );
  });

  test('sales partitioned by day: one Hive-style folder sale_date=<day>/, then the part', () => {
    const partition = { sale_date: '2024-03-01' };
    expect(track.bronzeKey({ table: 'sales', ingestId: 'X', partition, part: 2 })).toBe(
      'bronze/sales/sale_date=2024-03-01/part-X-2.parquet',
    );
    expect(track.bronzeKey({ table: 'sales', ingestId: '20241201T080000Z', partition, part: 0 })).toBe(
      'bronze/sales/sale_date=2024-03-01/part-20241201T080000Z-0.parquet',
    );
    expect(track.bronzeKey({ table: 'sales', ingestId: 'X', partition })).toBe(
      'bronze/sales/sale_date=2024-03-01/part-X.parquet',
    );
  });

  test('several partition columns: one folder each, in the order given', () => {
    expect(
      track.bronzeKey({ table: 'sales', ingestId: 'X', partition: { year: '2024', month: '03', day: '01' }, part: 1 }),
    ).toBe('bronze/sales/year=2024/month=03/day=01/part-X-1.parquet');
    expect(track.bronzeKey({ table: 'sales', ingestId: 'X', partition: { store: 'S1', year: '2024' } })).toBe(
      'bronze/sales/store=S1/year=2024/part-X.parquet',
    );
    expect(track.bronzeKey({ table: 'sales', ingestId: 'X', partition: {} })).toBe('bronze/sales/part-X.parquet');
  });

  test('partition values are escaped (encodeURIComponent): a / or = never makes another folder', () => {
    const key = track.bronzeKey({
      table: 'stores',
      ingestId: 'X',
      partition: { city: 'a/b', code: 'x=y', name: 'New York', rate: '50%', street: 'Grünweg' },
    });
    expect(key).toBe(
      'bronze/stores/city=a%2Fb/code=x%3Dy/name=New%20York/rate=50%25/street=Gr%C3%BCnweg/part-X.parquet',
    );
    // Exactly one `/` per partition column plus bronze/ and the table: no extra folders.
    expect(key.split('/')).toHaveLength(8);
  });

  test("an empty value is Hive's __HIVE_DEFAULT_PARTITION__", () => {
    expect(track.bronzeKey({ table: 'sales', ingestId: 'X', partition: { sale_date: '' }, part: 0 })).toBe(
      'bronze/sales/sale_date=__HIVE_DEFAULT_PARTITION__/part-X-0.parquet',
    );
    expect(track.bronzeKey({ table: 'sales', ingestId: 'X', partition: { region: 'North', store: '' } })).toBe(
      'bronze/sales/region=North/store=__HIVE_DEFAULT_PARTITION__/part-X.parquet',
    );
  });

  test('a bad table name, partition column or ingest id is refused with an error naming it', () => {
    const bad: [Parameters<typeof track.bronzeKey>[0], string][] = [
      [{ table: 'sa les', ingestId: 'X' }, 'sa les'],
      [{ table: '../customers', ingestId: 'X' }, '../customers'],
      [{ table: 'sales/2024', ingestId: 'X' }, 'sales/2024'],
      [{ table: 'sales', ingestId: 'a/b' }, 'a/b'],
      [{ table: 'sales', ingestId: '2024.12.01' }, '2024.12.01'],
      [{ table: 'sales', ingestId: 'X', partition: { 'sale date': '2024-03-01' } }, 'sale date'],
      [{ table: 'sales', ingestId: 'X', partition: { 'a=b': '1' } }, 'a=b'],
      [{ table: 'sales', ingestId: 'X', partition: { 'day/part': '1' } }, 'day/part'],
    ];
    for (const [object, name] of bad) expect(() => track.bronzeKey(object), name).toThrow(name);
    // Empty names are refused too.
    expect(() => track.bronzeKey({ table: '', ingestId: 'X' })).toThrow();
    expect(() => track.bronzeKey({ table: 'sales', ingestId: '' })).toThrow();
    expect(() => track.bronzeKey({ table: 'sales', ingestId: 'X', partition: { '': '1' } })).toThrow();
  });

  test('a bronze ingest lands sales under your keys: one day folder per sale date', async () => {
    // A real ingest (stage 2's loader, then bronze) into the embedded S3 server, with your
    // bronzeKey naming every object. The seeds' sales of their first four days are enough
    // (lines far apart in the file share a day), and each day is one upload and one download.
    const [header = '', ...records] = readFileSync(join(new MartPaths().seeds(2), 'sales.csv'), 'utf8')
      .trimEnd()
      .split('\n');
    const dayOf = (record: string) => record.split(',')[2] ?? '';
    const days = [...new Set(records.map(dayOf))].slice(0, 4);
    const sold = records.filter((record) => days.includes(dayOf(record)));
    const input = seedInputDir({ 'sales.csv': `${[header, ...sold].join('\n')}\n` });
    const lake = await s3TestLake(piecesWith({ bronzeKey: track.bronzeKey }));
    const db = await Database.open(':memory:');
    try {
      const { ingestId, landed } = await ingestFiles(
        lake,
        input.path,
        { mine: MineScope.none(), paths: new MartPaths() },
        { maxRejectRate: 0.1 },
      );

      const sales = await lake.store.list('bronze/sales/');
      expect(sales.map((object) => object.key)).toEqual(
        [...days].sort().map((day) => `bronze/sales/sale_date=${day}/part-${ingestId}-0.parquet`),
      );
      // Each object holds the rows of exactly the day its folder names.
      for (const object of sales) {
        const local = await lake.fetch(object.key);
        const inFile = await db.all<{ day: string; n: number }>(
          `select sale_date::varchar as day, count(*)::bigint as n from read_parquet(${quoteLiteral(local)}, hive_partitioning = false) group by all`,
        );
        const day = /sale_date=([^/]+)\//.exec(object.key)?.[1];
        expect(inFile, object.key).toEqual([{ day, n: sold.filter((record) => dayOf(record) === day).length }]);
      }
      const landedSales = landed.filter((object) => object.key.startsWith('bronze/sales/'));
      expect(landedSales.map((object) => [object.key, object.rows])).toEqual(
        sales.map((object) => [object.key, sold.filter((record) => object.key.includes(`=${dayOf(record)}/`)).length]),
      );

      // The other tables: one object each, no partition folder.
      expect((await lake.store.list('bronze/customers/')).map((object) => object.key)).toEqual([
        `bronze/customers/part-${ingestId}.parquet`,
      ]);
      expect((await lake.store.list('bronze/stores/')).map((object) => object.key)).toEqual([
        `bronze/stores/part-${ingestId}.parquet`,
      ]);
    } finally {
      db.close();
      await lake.remove();
      input.remove();
    }
  });
});

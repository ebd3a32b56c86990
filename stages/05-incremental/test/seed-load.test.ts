import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { NodeConfig } from '../src/manifest/types.ts';
import { buildManifest, model, type RuntimeFixture, runtimeFixture, seed } from './helpers/runtime-nodes.ts';

// Seeds loaded into a real DuckDB file with dbt's types.
describe('seeds', () => {
  let fx: RuntimeFixture;
  beforeEach(async () => {
    fx = await runtimeFixture('seeds');
    mkdirSync(join(fx.dir, 'seeds'), { recursive: true });
  });
  afterEach(() => fx.close());

  const write = (name: string, text: string) => {
    const file = join(fx.dir, 'seeds', `${name}.csv`);
    writeFileSync(file, text);
    return file;
  };
  const seedManifest = (name: string, config: Partial<NodeConfig> = {}) =>
    buildManifest(fx.project, [seed({ name, file: join(fx.dir, 'seeds', `${name}.csv`), config })]);
  const types = (table: string) =>
    fx.rows(
      `select column_name as name, data_type as type from information_schema.columns where table_name = '${table}' order by ordinal_position`,
    );

  test('a seed is created with dbt’s inferred types and its values as agate reads them', async () => {
    write(
      'people',
      [
        'id,zip,price,born,seen_at,seen_iso,active,note,empty',
        '1,007,"$1,234.50",2024-1-5,2024-01-05 10:00:00,2024-01-05T10:00:00,TRUE,hello,',
        '2,010,2.00,2024-02-29,2024-02-29 23:59:59,2024-02-29T23:59:59.5,false,"a, b",null',
        '3,,,,,,,null,',
      ].join('\n'),
    );
    const { byName } = await fx.run(seedManifest('people'), { command: 'seed' });
    const result = byName.people;
    expect(result?.status).toBe('success');
    expect(result?.message).toBe('INSERT 3');
    expect(result?.adapterResponse).toEqual({ _message: 'INSERT 3', code: 'INSERT', rows_affected: 3 });
    expect(result?.compiled).toBeNull();
    expect(result?.relationName).toBe('"warehouse"."main"."people"');
    expect(await types('people')).toEqual([
      { name: 'id', type: 'INTEGER' },
      { name: 'zip', type: 'INTEGER' },
      { name: 'price', type: 'DOUBLE' },
      { name: 'born', type: 'DATE' },
      { name: 'seen_at', type: 'TIMESTAMP' },
      { name: 'seen_iso', type: 'TIMESTAMP' },
      { name: 'active', type: 'BOOLEAN' },
      { name: 'note', type: 'VARCHAR' },
      { name: 'empty', type: 'INTEGER' },
    ]);
    expect(await fx.rows('select * from warehouse.main.people order by id')).toEqual([
      {
        id: 1,
        zip: 7,
        price: 1234.5,
        born: '2024-01-05',
        seen_at: '2024-01-05T10:00:00.000Z',
        seen_iso: '2024-01-05T10:00:00.000Z',
        active: true,
        note: 'hello',
        empty: null,
      },
      {
        id: 2,
        zip: 10,
        price: 2,
        born: '2024-02-29',
        seen_at: '2024-02-29T23:59:59.000Z',
        seen_iso: '2024-02-29T23:59:59.500Z',
        active: false,
        note: 'a, b',
        empty: null,
      },
      {
        id: 3,
        zip: null,
        price: null,
        born: null,
        seen_at: null,
        seen_iso: null,
        active: null,
        note: null,
        empty: null,
      },
    ]);
  });

  test('column_types overrides (zip stays "007"); delimiter is honoured', async () => {
    write('zips', 'id;zip;amount\n1;007;1,5\n2;010;2\n');
    const { byName } = await fx.run(
      seedManifest('zips', { delimiter: ';', column_types: { zip: 'varchar', id: 'bigint' } }),
    );
    expect(byName.zips?.status).toBe('success');
    expect(await types('zips')).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'zip', type: 'VARCHAR' },
      // agate removes "," as a group separator: 1,5 is 15.
      { name: 'amount', type: 'INTEGER' },
    ]);
    expect(await fx.rows('select * from warehouse.main.zips order by id')).toEqual([
      { id: 1, zip: '007', amount: 15 },
      { id: 2, zip: '010', amount: 2 },
    ]);
  });

  test('re-seeding deletes and inserts, keeping the table’s types; --full-refresh recreates it', async () => {
    write('codes', 'code,label\n1,one\n2,two\n');
    await fx.run(seedManifest('codes'));
    write('codes', 'code,label\n01,uno\n');
    const reseed = await fx.run(seedManifest('codes'));
    expect(reseed.byName.codes?.message).toBe('INSERT 1');
    expect(reseed.byName.codes?.executedSql[0]?.sql).toBe('delete from "warehouse"."main"."codes" where 1=1');
    expect(await fx.rows('select * from warehouse.main.codes')).toEqual([{ code: 1, label: 'uno' }]);

    // The file's types changed: a re-seed keeps integer (and fails on "A1"); a full refresh re-infers.
    write('codes', 'code,label\nA1,letters\n');
    const kept = await fx.run(seedManifest('codes'));
    expect(kept.byName.codes?.status).toBe('error');
    expect(kept.byName.codes?.message).toContain(
      'seeds/codes.csv line 2, column 1: "A1" in column "code" is not a valid INTEGER',
    );
    expect(await fx.rows('select * from warehouse.main.codes')).toEqual([{ code: 1, label: 'uno' }]);
    const full = await fx.run(seedManifest('codes'), { fullRefresh: true });
    expect(full.byName.codes?.message).toBe('CREATE 1');
    expect(await types('codes')).toEqual([
      { name: 'code', type: 'VARCHAR' },
      { name: 'label', type: 'VARCHAR' },
    ]);
  });

  test('a whole number beyond 32 bits names the line and suggests column_types bigint', async () => {
    write('big', 'n\n1\n3000000000\n');
    const { byName } = await fx.run(seedManifest('big'));
    expect(byName.big?.message).toBe(
      [
        'Runtime Error in seed big (seeds/big.csv)',
        '  seeds/big.csv line 3, column 1: "3000000000" in column "n" is not a valid integer',
        '  dbt infers integer (32 bits) for whole numbers; give the column a wider type: column_types: {n: bigint}.',
      ].join('\n'),
    );
    expect(await fx.rows("select count(*)::int as n from information_schema.tables where table_name = 'big'")).toEqual([
      { n: 0 },
    ]);
  });

  test('a malformed CSV is an error naming the file and line; its dependents are skipped', async () => {
    write('broken', 'id,name\n1,Ada\n2,"Bob\n');
    const manifest = buildManifest(fx.project, [
      seed({ name: 'broken', file: join(fx.dir, 'seeds', 'broken.csv') }),
      model({ name: 'uses', sql: "select * from {{ ref('broken') }}" }),
    ]);
    const { byName } = await fx.run(manifest);
    expect(byName.broken?.message).toBe(
      'Runtime Error in seed broken (seeds/broken.csv)\n  seeds/broken.csv line 3: a quoted field is never closed (its opening quote is here)',
    );
    expect(byName.uses?.status).toBe('skipped');
  });

  test('values never reach the SQL text', async () => {
    write('evil', 'name\n\'); drop table x; --\n"""quoted"""\n');
    const { byName } = await fx.run(seedManifest('evil'));
    expect(byName.evil?.executedSql.map(({ sql }) => sql).join('\n')).not.toContain('drop table x');
    expect(await fx.rows('select * from warehouse.main.evil')).toEqual([
      { name: "'); drop table x; --" },
      { name: '"quoted"' },
    ]);
  });

  test('a column_types value that is not a type name is refused', async () => {
    write('t', 'a\n1\n');
    const { byName } = await fx.run(seedManifest('t', { column_types: { a: 'int); drop table x; --' } }));
    expect(byName.t?.message).toContain(
      'column_types gives column "a" the type "int); drop table x; --", which is not a type name',
    );
  });

  test('seeding onto a view is dbt’s error', async () => {
    write('v', 'a\n1\n');
    await fx.db.run('create view warehouse.main.v as select 1 as a');
    const { byName } = await fx.run(seedManifest('v'));
    expect(byName.v?.message).toBe(
      `Runtime Error in seed v (seeds/v.csv)\n  Cannot seed to '"warehouse"."main"."v"', it is a view\n  Drop the view or give the seed another alias.`,
    );
  });
});

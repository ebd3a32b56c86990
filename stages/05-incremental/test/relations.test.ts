import { Database } from '@mart/shared';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { relationColumns, relationKinds } from '../src/run/relations.ts';

// The catalog look-ups every materialization makes, against a real DuckDB.
describe('relations', () => {
  let db: Database;
  beforeEach(async () => {
    db = await Database.open(':memory:');
    await db.run(`create table "we say ""hi""" ("a b" integer, "when" timestamptz, price decimal(10, 2))`);
    await db.run('create view Orders_V as select 1 as id');
  });
  afterEach(() => db.close());

  const relation = (identifier: string) => ({ database: 'memory', schema: 'main', identifier });

  test('columns come in order with DuckDB’s type names, whatever the name holds', async () => {
    expect(await relationColumns(db, relation('we say "hi"'))).toEqual([
      { name: 'a b', type: 'INTEGER' },
      { name: 'when', type: 'TIMESTAMP WITH TIME ZONE' },
      { name: 'price', type: 'DECIMAL(10,2)' },
    ]);
  });

  test('a missing relation has no columns, and the open transaction stays usable', async () => {
    await db.run('begin transaction');
    expect(await relationColumns(db, relation('nope'))).toEqual([]);
    expect(await relationColumns(db, { database: 'memory', schema: 'no_schema', identifier: 'x' })).toEqual([]);
    await db.run('create table kept (id integer)');
    await db.run('commit');
    expect(await relationKinds(db, [relation('kept')])).toEqual(['table']);
  });

  test('kinds: table, view or null, names compared case-insensitively', async () => {
    expect(await relationKinds(db, [relation('we say "hi"'), relation('orders_v'), relation('missing')])).toEqual([
      'table',
      'view',
      null,
    ]);
  });
});

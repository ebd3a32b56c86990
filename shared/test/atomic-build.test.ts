import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildAtomically } from '../src/duckdb/atomic-build.ts';
import { withDatabase } from '../src/duckdb/database.ts';
import { insertRows } from '../src/duckdb/insert-rows.ts';
import { tempDir } from '../src/testing/temp-dir.ts';

describe('buildAtomically', () => {
  test('creates the file, and a failed rebuild keeps the previous one byte for byte with no temp files left', async () => {
    const temp = tempDir('atomic');
    try {
      const target = join(temp.path, 'w', 'stage.duckdb');
      await buildAtomically(target, (db) => db.run('create table t as select 42 as answer'));
      const before = readFileSync(target);
      await expect(
        buildAtomically(target, async (db) => {
          await db.run('create table t as select 1 as answer');
          throw new Error('halfway');
        }),
      ).rejects.toThrow('halfway');
      expect(readFileSync(target).equals(before)).toBe(true);
      expect(readdirSync(join(temp.path, 'w'))).toEqual(['stage.duckdb']);
      expect(await withDatabase(target, { readOnly: true }, (db) => db.value('select answer from t'))).toBe(42);
    } finally {
      temp.remove();
    }
  });
});

describe('insertRows', () => {
  test('inserts typed values, nulls and awkward strings without splicing them into SQL', async () => {
    const temp = tempDir('insert');
    try {
      const file = join(temp.path, 'i.duckdb');
      const rows = await withDatabase(file, {}, async (db) => {
        // A space and a double quote in the table's name: it is looked up quoted.
        await db.run(
          'create table "odd ""name""" (id integer, label varchar, day date, price decimal(10,2), ok boolean)',
        );
        await insertRows(db, 'odd "name"', [
          { id: 1, label: "Robert'); drop table students;--", day: '2024-02-29', price: 9.99, ok: true },
          { id: 2, label: null, day: null, price: null, ok: false },
        ]);
        return db.all('select id, label, day, price::double as price, ok from "odd ""name""" order by id');
      });
      expect(rows).toEqual([
        { id: 1, label: "Robert'); drop table students;--", day: '2024-02-29', price: 9.99, ok: true },
        { id: 2, label: null, day: null, price: null, ok: false },
      ]);
      expect(existsSync(file)).toBe(true);
    } finally {
      temp.remove();
    }
  });
});

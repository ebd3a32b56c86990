import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildAtomically, buildAttachedAtomically } from '../src/duckdb/atomic-build.ts';
import { Database, withDatabase } from '../src/duckdb/database.ts';
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

describe('buildAttachedAtomically', () => {
  test("copies the session's own tables into the file; a failure keeps the previous file and detaches", async () => {
    const temp = tempDir('atomic-attached');
    const session = await Database.open(':memory:');
    try {
      await session.run('create table facts as select range as id, range * 2 as doubled from range(1000)');
      const target = join(temp.path, 'w', 'serving.duckdb');
      await buildAttachedAtomically(session, target, '__copy', () =>
        session.run('create table __copy.main.facts as select * from facts'),
      );
      const before = readFileSync(target);
      await expect(
        buildAttachedAtomically(session, target, '__copy', async () => {
          await session.run('create table __copy.main.facts as select 1 as id');
          throw new Error('halfway');
        }),
      ).rejects.toThrow('halfway');
      expect(readFileSync(target).equals(before)).toBe(true);
      // No temporary file or write-ahead log beside it, and the session is whole: nothing attached.
      expect(readdirSync(join(temp.path, 'w'))).toEqual(['serving.duckdb']);
      const attached = await session.value(
        "select count(*)::int from duckdb_databases() where database_name = '__copy'",
      );
      expect(attached).toBe(0);
      expect(await session.value('select count(*)::int from facts')).toBe(1000);
      const copied = await withDatabase(target, { readOnly: true }, (db) =>
        db.all<{ rows: number; total: number }>('select count(*)::int as rows, sum(doubled)::int as total from facts'),
      );
      expect(copied).toEqual([{ rows: 1000, total: 999_000 }]);
    } finally {
      session.close();
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

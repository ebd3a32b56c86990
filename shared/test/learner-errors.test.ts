import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadPieces } from '../src/course/load-pieces.ts';
import { MineScope } from '../src/course/mine-scope.ts';
import { Database } from '../src/duckdb/database.ts';
import { SqlError } from '../src/duckdb/sql-error.ts';
import { CliError, ExerciseError, InputFileError } from '../src/errors.ts';
import { MartPaths, repoRoot } from '../src/paths.ts';
import { tempDir } from '../src/testing/temp-dir.ts';

type DemoPieces = {
  monthly(db: Database): Promise<unknown[]>;
  total(rows: Array<{ amount: number }>): number;
  header(names: string[]): void;
};

const shared = join(repoRoot(), 'shared', 'src', 'index.ts');

/** A course with one stage, 99-demo: reference pieces that work, and a learner's with bugs. */
function demoCourse(root: string): void {
  const files: Record<string, string> = {
    'solutions/99-demo/index.ts':
      "export { monthly, total } from './queries.ts';\nexport { header } from './header.ts';\n",
    'solutions/99-demo/queries.ts': [
      `import type { Database } from '${shared}';`,
      'export async function monthly(db: Database) {',
      "  return db.all('select 1 as month');",
      '}',
      'export function total(rows: Array<{ amount: number }>) {',
      '  return rows.reduce((sum, row) => sum + row.amount, 0);',
      '}',
    ].join('\n'),
    'solutions/99-demo/header.ts': 'export function header(names: string[]) {\n  void names;\n}\n',
    'exercises/99-demo/index.ts':
      "export { monthly, total } from './queries.ts';\nexport { header } from './header.ts';\n",
    'exercises/99-demo/queries.ts': [
      `import type { Database } from '${shared}';`,
      'export async function monthly(db: Database) {',
      '  return db.all(`',
      '    select amout',
      '      from range(3) t(amount)`);',
      '}',
      'export function total(rows: Array<{ amount: number }>) {',
      '  return rows.reduce((sum, row) => sum + (row as unknown as { a: { b: number } }).a.b, 0);',
      '}',
    ].join('\n'),
    'exercises/99-demo/header.ts': [
      `import { InputFileError } from '${shared}';`,
      'export function header(names: string[]) {',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the text of a source file, not a template
      "  throw new InputFileError('sales.csv', `unknown column ${names[0]}`, { line: 1, column: 1 });",
      '}',
    ].join('\n'),
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  }
}

describe("errors from a learner's pieces name the learner's file", () => {
  const temp = tempDir('learner-errors');
  const paths = new MartPaths({ root: temp.path });
  let db: Database;
  beforeAll(async () => {
    demoCourse(temp.path);
    db = await Database.open(':memory:');
  });
  afterAll(() => {
    db.close();
    temp.remove();
  });

  test('the reference pieces run unwrapped when --mine does not cover the stage', async () => {
    const pieces = await loadPieces<DemoPieces>({ stage: 99, dir: '99-demo', mine: MineScope.of(1), paths });
    expect(await pieces.monthly(db)).toEqual([{ month: 1 }]);
    expect(pieces.total([{ amount: 2 }, { amount: 3 }])).toBe(5);
  });

  test("a DuckDB error from the learner's SQL names the exercise, their line and the statement", async () => {
    const pieces = await loadPieces<DemoPieces>({ stage: 99, dir: '99-demo', mine: MineScope.of(99), paths });
    const error = await pieces.monthly(db).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ExerciseError);
    const failed = error as ExerciseError;
    expect(failed.exercise).toBe('99-demo/queries');
    expect(failed.message).toMatch(/^Your exercise 99-demo\/queries failed: Binder Error: .*"amout"/);
    expect(failed.location).toMatch(/^exercises\/99-demo\/queries\.ts:3:\d+$/);
    expect(failed.sql).toContain('select amout');
    expect(failed.describe()).toContain('  The SQL it ran:\n    select amout\n      from range(3) t(amount)');
  });

  test("a TypeError thrown synchronously in the learner's code names the exercise and their line", async () => {
    const pieces = await loadPieces<DemoPieces>({ stage: 99, dir: '99-demo', mine: MineScope.of(99), paths });
    let caught: unknown;
    try {
      pieces.total([{ amount: 1 }]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExerciseError);
    expect((caught as ExerciseError).location).toMatch(/^exercises\/99-demo\/queries\.ts:8:\d+$/);
    expect((caught as ExerciseError).original).toBeInstanceOf(TypeError);
  });

  test('an error the piece throws on purpose (a CliError) passes through unchanged', async () => {
    const pieces = await loadPieces<DemoPieces>({ stage: 99, dir: '99-demo', mine: MineScope.all(), paths });
    expect(() => pieces.header(['colum'])).toThrow(InputFileError);
    expect(() => pieces.header(['colum'])).toThrow('sales.csv line 1, column 1: unknown column colum');
  });

  test('an exercise tree missing a function the stage needs is a clear error, not a crash later', async () => {
    // A stage folder of its own: modules already imported stay cached.
    cpSync(join(temp.path, 'solutions/99-demo'), join(temp.path, 'solutions/98-demo'), { recursive: true });
    cpSync(join(temp.path, 'exercises/99-demo'), join(temp.path, 'exercises/98-demo'), { recursive: true });
    writeFileSync(join(temp.path, 'exercises/98-demo/index.ts'), "export { monthly } from './queries.ts';\n");
    const error = await loadPieces<DemoPieces>({ stage: 98, dir: '98-demo', mine: MineScope.of(98), paths }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toMatch(
      /exercises\/98-demo\/index.ts does not export the function (total|header)/,
    );
  });
});

describe('Database', () => {
  test('a failing statement throws a SqlError with the SQL, the values and the caller in its stack', async () => {
    const db = await Database.open(':memory:');
    try {
      const error = await db.all('select $1::int + amout', [1]).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SqlError);
      expect(error).toMatchObject({ sql: 'select $1::int + amout', params: [1] });
      expect((error as Error).message).toContain('Binder Error');
      expect((error as Error).stack).toContain('learner-errors.test.ts');
    } finally {
      db.close();
    }
  });

  test('many queries started at once on one connection run one at a time, all correct', async () => {
    const db = await Database.open(':memory:');
    try {
      await db.run('create table t as select range as n from range(100000)');
      const sums = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          i % 10 === 9
            ? db.all('select nope from t').then(
                () => 'no error?',
                () => 'failed',
              )
            : db.value<number>('select sum(n)::bigint + $1 from t where n % 7 = 0', [i]),
        ),
      );
      sums.forEach((sum, i) => {
        expect(sum).toBe(i % 10 === 9 ? 'failed' : 714264285 + i);
      });
    } finally {
      db.close();
    }
  });
});

describe('Database.connect', () => {
  test('a second connection runs a transaction of its own at the same time, and closing it keeps the file open', async () => {
    const db = await Database.open(':memory:');
    try {
      await db.run('create table a (n int); create table b (n int)');
      const second = await db.connect();
      await db.run('begin transaction');
      await db.run('insert into a values (1)');
      // The other connection does not see the first one's open transaction…
      expect(await second.value<number>('select count(*)::int from a')).toBe(0);
      await second.run('insert into b values (2)');
      await db.run('commit');
      second.close();
      // …and after closing the second, the first still works.
      expect(await db.all('select (select count(*)::int from a) as a, (select count(*)::int from b) as b')).toEqual([
        { a: 1, b: 1 },
      ]);
    } finally {
      db.close();
    }
  });
});

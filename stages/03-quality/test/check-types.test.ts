import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from '@mart/shared';
import { tempDir } from '@mart/shared/testing';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { readChecksFile } from '../src/checks-file/read-checks-file.ts';
import type { CheckResult } from '../src/given/index.ts';
import type { QualityPieces } from '../src/pieces.ts';
import { writeSamples } from '../src/report/write-report.ts';
import { runChecks } from '../src/run/run-checks.ts';
import { renumberParameters, TableMeasurements } from '../src/run/table-measurements.ts';
import { pinnedNow, referenceQualityPieces } from '../src/testing/index.ts';

// Every check type, passing and failing, through the real runner on a small fixture:
// 10 customers (2 without email, 1 unknown segment) and 8 order lines (1 duplicate
// key, 1 orphan customer, 1 quantity out of range, newest order 2024-12-29).
const dir = tempDir('stage-03-types');
let db: Database;

let reference: QualityPieces;
beforeAll(async () => {
  reference = await referenceQualityPieces();
  db = await Database.open(':memory:');
  await db.run(`
    create table customers (id integer, email varchar, segment varchar, signup date);
    insert into customers values
      (1, 'a@x.io', 'Consumer', '2024-01-01'), (2, 'b@x.io', 'Consumer', '2024-01-02'),
      (3, null, 'Corporate', '2024-01-03'),    (4, 'd@x.io', 'Corporate', '2024-01-04'),
      (5, 'e@x.io', 'Enterprize', '2024-01-05'), (6, null, 'Consumer', '2024-01-06'),
      (7, 'g@x.io', 'Consumer', '2024-01-07'), (8, 'h@x.io', 'Corporate', '2024-01-08'),
      (9, 'i@x.io', 'Consumer', '2024-01-09'), (10, 'j@x.io', 'Consumer', '2024-01-10');
    create table orders (order_id integer, line integer, customer_id integer, qty integer, price decimal(10, 2), amount decimal(12, 2), ordered_at timestamp);
    insert into orders values
      (100, 1, 1, 1, 10.00, 10.00, '2024-12-01 10:00'), (100, 2, 1, 2, 5.00, 10.00, '2024-12-01 10:00'),
      (101, 1, 2, 5, 1.00, 5.00, '2024-12-10 09:00'),   (102, 1, 3, 1, 2.00, 2.00, '2024-12-20 12:00'),
      (102, 1, 3, 1, 2.00, 2.00, '2024-12-20 12:00'),   (103, 1, 99, 3, 3.00, 9.00, '2024-12-28 00:00'),
      (104, 1, 4, 50, 1.00, 49.00, '2024-12-29 00:00'), (105, 1, null, 1, 1.00, 1.00, '2024-12-29 00:00');`);
});
afterAll(() => {
  db.close();
  dir.remove();
});

/** Runs a checks file (YAML text) on the fixture; results by check name. */
async function run(yaml: string, now = pinnedNow): Promise<{ byName: Record<string, CheckResult>; queries: number }> {
  const path = join(dir.path, 'checks.yml');
  writeFileSync(path, yaml);
  const { checks } = readChecksFile(path);
  const { results, measureQueries } = await runChecks(db, checks, { pieces: reference, now });
  return { byName: Object.fromEntries(results.map((result) => [result.name, result])), queries: measureQueries };
}

/** name → [outcome, value] for compact assertions. */
function outcomes(byName: Record<string, CheckResult>): Record<string, [string, number | null]> {
  return Object.fromEntries(Object.entries(byName).map(([name, result]) => [name, [result.outcome, result.value]]));
}

describe('check types, passing and failing', () => {
  test('row_count: min, max and between, bounds inclusive', async () => {
    const { byName } = await run(`
tables:
  customers:
    - { check: row_count, name: exactly, fail: { between: [10, 10] } }
    - { check: row_count, name: too_few, fail: { min: 11 } }
    - { check: row_count, name: too_many, fail: { max: 9 } }
    - { check: row_count, name: warn_only, warn: { min: 11 } }
`);
    expect(outcomes(byName)).toEqual({
      exactly: ['pass', 10],
      too_few: ['fail', 10],
      too_many: ['fail', 10],
      warn_only: ['warn', 10],
    });
    expect(byName.too_few?.threshold).toBe('fail if < 11');
  });

  test('not_null: counts and percentages at their boundaries; fail beats warn', async () => {
    const { byName } = await run(`
tables:
  customers:
    - { check: not_null, column: id }
    - { check: not_null, column: email, name: any_missing_fails }
    - { check: not_null, column: email, name: at_20_percent, warn: { max_percent: 20 } }
    - { check: not_null, column: email, name: above_19_9_percent, warn: { max_percent: 19.9 } }
    - { check: not_null, column: email, name: two_allowed, fail: { max: 2 } }
    - { check: not_null, column: email, name: fail_beats_warn, fail: { max: 1 }, warn: { max: 0 } }
`);
    expect(outcomes(byName)).toEqual({
      'not_null(id)': ['pass', 0],
      any_missing_fails: ['fail', 2],
      at_20_percent: ['pass', 2],
      above_19_9_percent: ['warn', 2],
      two_allowed: ['pass', 2],
      fail_beats_warn: ['fail', 2],
    });
    expect(byName.at_20_percent?.percent).toBe(20);
  });

  test('unique: one column and several', async () => {
    const { byName } = await run(`
tables:
  orders:
    - { check: unique, columns: [order_id] }
    - { check: unique, columns: [order_id, line] }
  customers:
    - { check: unique, columns: [id] }
`);
    expect(outcomes(byName)).toEqual({
      'unique(order_id)': ['fail', 2],
      'unique(order_id,line)': ['fail', 1],
      'unique(id)': ['pass', 0],
    });
  });

  test('accepted_values', async () => {
    const { byName } = await run(`
tables:
  customers:
    - { check: accepted_values, column: segment, values: [Consumer, Corporate] }
    - { check: accepted_values, column: segment, name: with_enterprize, values: [Consumer, Corporate, Enterprize] }
    - { check: accepted_values, column: id, name: numbers, values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }
`);
    expect(outcomes(byName)).toEqual({
      'accepted_values(segment)': ['fail', 1],
      with_enterprize: ['pass', 0],
      numbers: ['pass', 0],
    });
  });

  test('range: both bounds inclusive, either optional', async () => {
    const { byName } = await run(`
tables:
  orders:
    - { check: range, column: qty, min: 1, max: 50 }
    - { check: range, column: qty, name: up_to_49, max: 49 }
    - { check: range, column: qty, name: at_least_2, min: 2 }
`);
    expect(outcomes(byName)).toEqual({
      'range(qty)': ['pass', 0],
      up_to_49: ['fail', 1],
      at_least_2: ['fail', 4],
    });
  });

  test('relationships: orphans fail, NULLs are not orphans', async () => {
    const { byName } = await run(`
tables:
  orders:
    - { check: relationships, column: customer_id, to: customers.id }
  customers:
    - { check: relationships, column: id, to: orders.customer_id, name: every_customer_ordered, warn: { max: 0 } }
`);
    expect(outcomes(byName)).toEqual({
      'relationships(customer_id)': ['fail', 1],
      every_customer_ordered: ['warn', 6],
    });
  });

  test('freshness: age in hours from the pinned clock, max_age inclusive', async () => {
    // Newest order: 2024-12-29 00:00, now: 2024-12-31 00:00 → 48 hours.
    const { byName } = await run(`
tables:
  orders:
    - { check: freshness, column: ordered_at, name: two_days_ok, fail: { max_age: 2d } }
    - { check: freshness, column: ordered_at, name: within_47h, fail: { max_age: 47h } }
    - { check: freshness, column: ordered_at, name: warn_after_1d, warn: { max_age: 1d }, fail: { max_age: 1w } }
  customers:
    - { check: freshness, expression: "signup + interval 1 day", fail: { max_age: 365d } }
`);
    expect(outcomes(byName)).toEqual({
      two_days_ok: ['pass', 48],
      within_47h: ['fail', 48],
      warn_after_1d: ['warn', 48],
      'freshness(expression)': ['pass', (Date.parse('2024-12-31') - Date.parse('2024-01-11')) / 3_600_000],
    });
    const later = await run(
      'tables:\n  orders:\n    - { check: freshness, column: ordered_at, fail: { max_age: 2d } }\n',
      new Date('2024-12-31T00:00:01Z'),
    );
    expect(later.byName['freshness(ordered_at)']?.outcome).toBe('fail');
  });

  test('schema: required columns and types, forbidden columns', async () => {
    const path = join(dir.path, 'schema.yml');
    writeFileSync(
      path,
      `
tables:
  orders:
    - check: schema
      columns: { order_id: integer, price: 'decimal(10, 2)', ordered_at: timestamp, qty: ~ }
      forbidden: [email]
  customers:
    - check: schema
      columns: { id: bigint, phone: ~ }
      forbidden: [email]
`,
    );
    // Both checks are named "schema": fine, names are unique per table.
    const { results } = await runChecks(db, readChecksFile(path).checks, { pieces: reference, now: pinnedNow });
    const orders = results.find((result) => result.table === 'orders');
    const customers = results.find((result) => result.table === 'customers');
    expect([orders?.outcome, orders?.value, orders?.message]).toEqual(['pass', 0, '7 columns as declared']);
    expect([customers?.outcome, customers?.value]).toEqual(['fail', 3]);
    expect(customers?.message).toBe(
      'id is INTEGER, expected BIGINT; missing column phone; forbidden column email is present',
    );
    await db.run('create table narrow (only_column integer)');
    const narrow = await runChecks(
      db,
      [{ type: 'schema', table: 'narrow', name: 'schema', columns: { only_column: 'integer' }, forbidden: [] }],
      { pieces: reference, now: pinnedNow },
    );
    expect(narrow.results[0]?.message).toBe('1 column as declared');
    await db.run('drop table narrow'); // the other tests expect the fixture's tables only
  });

  test('sql: the count of rows the query returns', async () => {
    const { byName } = await run(`
tables:
  orders:
    - { check: sql, name: amount_matches, sql: "select * from orders where amount <> qty * price" }
    - { check: sql, name: no_negative, sql: "select * from orders where price < 0" }
    - { check: sql, name: allowed_two, sql: "select * from orders where amount <> qty * price", fail: { max: 2 } }
    - { check: sql, name: with_semicolon, sql: "select * from orders where qty > 10;" }
`);
    expect(outcomes(byName)).toEqual({
      amount_matches: ['fail', 1],
      no_negative: ['pass', 0],
      allowed_two: ['pass', 1],
      with_semicolon: ['fail', 1],
    });
  });
});

describe('checks that cannot run', () => {
  test('unknown tables and columns are errors naming the name; the other checks still run', async () => {
    const { byName } = await run(`
tables:
  custmers:
    - { check: row_count, fail: { min: 1 } }
  customers:
    - { check: not_null, column: emial }
    - { check: unique, columns: [id, nope] }
    - { check: relationships, column: id, to: clients.id }
    - { check: relationships, column: segment, name: bad_target_column, to: orders.segment }
    - { check: not_null, column: email, fail: { max: 5 } }
`);
    expect(byName.row_count?.outcome).toBe('error');
    expect(byName.row_count?.message).toBe('unknown table custmers (tables: customers, orders)');
    expect(byName['not_null(emial)']?.message).toBe(
      'unknown column emial in customers (columns: id, email, segment, signup)',
    );
    expect(byName['unique(id,nope)']?.message).toMatch(/^unknown column nope in customers/);
    expect(byName['relationships(id)']?.message).toBe('unknown table clients in to: clients.id');
    expect(byName.bad_target_column?.message).toMatch(/^unknown column segment in orders/);
    expect(byName['not_null(email)']?.outcome).toBe('pass');
  });

  test('a broken expression or query errors alone, with DuckDB saying why', async () => {
    const { byName } = await run(`
tables:
  orders:
    - { check: row_count, fail: { min: 1 } }
    - { check: freshness, expression: "no_such_function(ordered_at)", fail: { max_age: 1d } }
    - { check: sql, name: broken, sql: "select * from orders where" }
    - { check: not_null, column: customer_id, warn: { max: 0 } }
`);
    expect(outcomes(byName)).toEqual({
      row_count: ['pass', 8],
      'freshness(expression)': ['error', null],
      broken: ['error', null],
      'not_null(customer_id)': ['warn', 1],
    });
    expect(byName['freshness(expression)']?.message).toMatch(/no_such_function/);
    expect(byName.broken?.message).toMatch(/syntax error/i);
  });

  test('an empty table has no freshness', async () => {
    await db.run('create table empty_orders as select * from orders where false');
    const { byName } = await run(
      'tables:\n  empty_orders:\n    - { check: freshness, column: ordered_at, fail: { max_age: 1d } }\n',
    );
    expect(byName['freshness(ordered_at)']?.outcome).toBe('error');
    expect(byName['freshness(ordered_at)']?.message).toMatch(/no rows/);
  });
});

describe('checks only read: one SELECT per sql check and per expression', () => {
  /** A throwaway copy of orders for queries that try to change it (dropped after the test). */
  const victims: string[] = [];
  async function victim(): Promise<string> {
    const name = `victim_${victims.length + 1}`;
    await db.run(`create table ${name} as select * from orders`);
    victims.push(name);
    return name;
  }
  afterEach(async () => {
    for (const name of victims.splice(0)) await db.run(`drop table if exists ${name}`);
  });
  const rowsIn = async (table: string) => Number(await db.value(`select count(*) from ${table}`));

  test('a DELETE is refused naming the check, and the table is unchanged', async () => {
    const table = await victim();
    const { byName } = await run(`
tables:
  ${table}:
    - { check: sql, name: sneaky, sql: "delete from ${table}" }
    - { check: row_count, fail: { min: 1 } }
`);
    expect(byName.sneaky?.outcome).toBe('error');
    expect(byName.sneaky?.message).toBe(
      `the sql of check ${table}.sneaky is not a single SELECT: only one SELECT (or WITH … SELECT) is allowed, and a check never changes data`,
    );
    expect(byName.row_count?.outcome).toBe('pass');
    expect(await rowsIn(table)).toBe(8);
  });

  test('a SELECT followed by a DROP is refused, and the table is still there', async () => {
    const table = await victim();
    const { byName } = await run(
      `tables:\n  ${table}:\n    - { check: sql, name: two, sql: "select 1; drop table ${table}" }\n`,
    );
    expect(byName.two?.outcome).toBe('error');
    expect(byName.two?.message).toMatch(/only one SELECT \(or WITH … SELECT\) is allowed/);
    expect(await rowsIn(table)).toBe(8);
  });

  test('a query that closes the wrapping parenthesis cannot smuggle in a DELETE', async () => {
    // Before: `select count(*) from (<sql>)` turned this into three statements and ran them all.
    const table = await victim();
    const { byName } = await run(
      `tables:\n  ${table}:\n    - { check: sql, name: escape, sql: "select * from ${table}) ; delete from ${table}; select (1" }\n`,
    );
    expect(byName.escape?.outcome).toBe('error');
    expect(await rowsIn(table)).toBe(8);
  });

  test('two SELECTs, an empty query, other statements: errors that say only one SELECT is allowed', async () => {
    const { byName } = await run(`
tables:
  orders:
    - { check: sql, name: two_selects, sql: "select 1; select 2" }
    - { check: sql, name: only_a_comment, sql: "-- nothing yet" }
    - { check: sql, name: a_pragma, sql: "pragma version" }
    - { check: sql, name: a_copy, sql: "copy orders to '/tmp/never.csv'" }
    - { check: sql, name: an_attach, sql: "attach ':memory:' as other" }
    - { check: sql, name: a_set, sql: "set threads = 1" }
    - { check: sql, name: a_create, sql: "create table made_by_a_check (a int)" }
`);
    expect(byName.two_selects?.message).toBe(
      'the sql of check orders.two_selects has 2 statements: only one SELECT (or WITH … SELECT) is allowed, and a check never changes data',
    );
    expect(byName.only_a_comment?.message).toMatch(
      /^the sql of check orders\.only_a_comment is empty: .*only one SELECT/,
    );
    for (const name of ['a_pragma', 'a_copy', 'an_attach', 'a_set', 'a_create']) {
      expect([name, byName[name]?.outcome, byName[name]?.message]).toEqual([
        name,
        'error',
        expect.stringMatching(new RegExp(`^the sql of check orders\\.${name} is not a single SELECT: only one SELECT`)),
      ]);
    }
    expect(await db.value("select count(*) from duckdb_tables() where table_name = 'made_by_a_check'")).toBe(0);
  });

  test('a plain SELECT, a WITH … SELECT and a trailing comment or semicolon all run', async () => {
    const { byName } = await run(`
tables:
  orders:
    - check: sql
      name: plain
      sql: select * from orders where qty > 10
    - check: sql
      name: with_cte
      sql: with big as (select * from orders where qty > 10) select * from big
    - check: sql
      name: comment_at_end
      sql: select * from orders where qty > 10 -- big orders
    - check: sql
      name: semicolon_then_comment
      sql: "select * from orders where qty > 10; -- big orders"
    - check: sql
      name: dashes_in_a_string
      sql: "select * from orders where 'a--b' = 'a--b' and qty > 10 -- the string stays"
    - check: sql
      name: block_style
      sql: |
        select *
          from orders
         where qty > 10 -- big orders
`);
    expect(outcomes(byName)).toEqual({
      plain: ['fail', 1],
      with_cte: ['fail', 1],
      comment_at_end: ['fail', 1],
      semicolon_then_comment: ['fail', 1],
      dashes_in_a_string: ['fail', 1],
      block_style: ['fail', 1],
    });
  });

  test('the failing-row samples of a query ending in a comment are written', async () => {
    const { results } = await runChecks(
      db,
      [{ type: 'sql', table: 'orders', name: 'big', sql: 'select * from orders where qty > 10 -- big orders' }],
      { pieces: reference, now: pinnedNow },
    );
    mkdirSync(join(dir.path, 'run', 'samples'), { recursive: true });
    const samples = await writeSamples(db, join(dir.path, 'run'), results, 20);
    expect(samples.get('orders.big')).toEqual({ file: 'samples/orders.big.csv', rows: 1 });
  });

  test('an expression is one expression: judged as select <expression>', async () => {
    const table = await victim();
    const { byName } = await run(`
tables:
  ${table}:
    - { check: freshness, name: with_comment, expression: "ordered_at -- when it was ordered", fail: { max_age: 2d } }
    - { check: freshness, name: with_from, expression: "ordered_at from ${table}", fail: { max_age: 2d } }
    - { check: freshness, name: with_drop, expression: "ordered_at; drop table ${table}", fail: { max_age: 2d } }
    - { check: freshness, name: with_delete, expression: "1; delete from ${table}", fail: { max_age: 2d } }
    - { check: freshness, name: two_columns, expression: "ordered_at, ordered_at", fail: { max_age: 2d } }
    - { check: freshness, name: blank, expression: "", fail: { max_age: 2d } }
`);
    expect(outcomes(byName)).toEqual({
      with_comment: ['pass', 48],
      with_from: ['error', null],
      with_drop: ['error', null],
      with_delete: ['error', null],
      two_columns: ['error', null],
      blank: ['error', null],
    });
    // The comment is gone from what the check ran and reports.
    expect(byName.with_comment?.message).toBe('newest ordered_at is 2024-12-29 00:00 UTC, 2d old');
    expect(byName.with_from?.message).toBe(
      `the expression of check ${table}.with_from must be one SQL expression, such as max(sold_at), without from, where, a second column or an alias`,
    );
    expect(byName.with_drop?.message).toMatch(/must be one SQL expression.*only one SELECT/);
    expect(byName.blank?.message).toBe(
      `the expression of check ${table}.blank is empty: write one SQL expression, such as max(sold_at)`,
    );
    expect(await rowsIn(table)).toBe(8);
  });

  test('an expression ending in a comment also works when measured directly', async () => {
    const measurements = new TableMeasurements(db, 'orders');
    const pending = measurements.measure('max(qty) -- the biggest');
    await measurements.flush();
    expect(await pending).toBe(50);
  });
});

describe('one scan per table', () => {
  test("every measurement of a table's checks is computed in one query", async () => {
    const { byName, queries } = await run(`
tables:
  customers:
    - { check: row_count, fail: { min: 1 } }
    - { check: not_null, column: email, fail: { max: 5 } }
    - { check: unique, columns: [id] }
    - { check: accepted_values, column: segment, values: [Consumer, Corporate, Enterprize] }
    - { check: freshness, column: signup, fail: { max_age: 1000d } }
  orders:
    - { check: range, column: qty, min: 1, max: 50 }
    - { check: accepted_values, column: line, values: [1, 2] }
    - { check: relationships, column: customer_id, to: customers.id, fail: { max: 1 } }
    - { check: schema, columns: { qty: integer } }
`);
    expect(Object.values(byName).every((result) => result.outcome === 'pass')).toBe(true);
    expect(queries).toBe(2);
  });

  test('parameters of batched expressions are renumbered, quoted text left alone', () => {
    expect(renumberParameters('"x" in ($1, $2)', 3)).toBe('"x" in ($4, $5)');
    expect(renumberParameters(`"col$1" = '$2' or y = $1`, 10)).toBe(`"col$1" = '$2' or y = $11`);
    expect(renumberParameters('$1', 0)).toBe('$1');
  });
});

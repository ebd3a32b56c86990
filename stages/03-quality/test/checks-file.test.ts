import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputFileError } from '@mart/shared';
import { tempDir } from '@mart/shared/testing';
import { afterAll, describe, expect, test } from 'vitest';
import { readChecksFile } from '../src/checks-file/read-checks-file.ts';
import { defaultChecksPath } from '../src/default-checks.ts';

const dir = tempDir('stage-03-checks');
afterAll(() => dir.remove());

/** Writes `text` as a checks file and reads it back. */
function read(text: string) {
  const path = join(dir.path, 'checks.yml');
  writeFileSync(path, text);
  return readChecksFile(path, 'checks.yml');
}

/** The InputFileError reading `text` throws. */
function problem(text: string): InputFileError {
  try {
    read(text);
  } catch (error) {
    if (error instanceof InputFileError) return error;
    throw error;
  }
  throw new Error('expected the checks file to be refused');
}

describe('the checks file', () => {
  test('the committed checks.yml declares every check type over the star schema', () => {
    const file = readChecksFile(defaultChecksPath);
    expect(new Set(file.checks.map((check) => check.type))).toEqual(
      new Set([
        'row_count',
        'not_null',
        'unique',
        'accepted_values',
        'range',
        'relationships',
        'freshness',
        'schema',
        'sql',
      ]),
    );
    expect(file.checks).toHaveLength(24);
    expect(file.referenceTime?.toISOString()).toBe('2024-12-31T00:00:00.000Z');
    expect(file.sampleRows).toBe(20);
  });

  test('default names, between, and the relationship target are filled in', () => {
    const file = read(`
tables:
  fact_sales:
    - check: row_count
      fail: { between: [1, 1000] }
    - check: unique
      columns: [sale_id, line_number]
    - check: relationships
      column: store_key
      to: dim_store.store_key
`);
    expect(file.referenceTime).toBeUndefined();
    expect(file.checks).toEqual([
      { type: 'row_count', table: 'fact_sales', name: 'row_count', fail: { min: 1, max: 1000 } },
      { type: 'unique', table: 'fact_sales', name: 'unique(sale_id,line_number)', columns: ['sale_id', 'line_number'] },
      {
        type: 'relationships',
        table: 'fact_sales',
        name: 'relationships(store_key)',
        column: 'store_key',
        to: { table: 'dim_store', column: 'store_key' },
      },
    ]);
  });

  test('not YAML: the line and column of the syntax error, exit code 3', () => {
    const error = problem('tables:\n  dim_store:\n    - check: unique\n      columns: [store_id\n');
    expect(error.message).toMatch(/^checks\.yml line \d+, column \d+: not valid YAML/);
    expect(error.exitCode).toBe(3);
  });

  test('a misspelt key names the key and its line', () => {
    const error = problem('tables:\n  dim_customer:\n    - check: not_null\n      colum: email\n');
    expect(error.message).toBe(
      'checks.yml line 4, column 7: tables.dim_customer.0: unknown key "colum" (and 1 more problem)',
    );
    expect(error.line).toBe(4);
  });

  test('an unknown check type lists the valid ones', () => {
    const error = problem('tables:\n  dim_customer:\n    - row_count\n    - check: not_empty\n      column: email\n');
    expect(error.message).toMatch(/line 3, column 7: tables\.dim_customer\.0: /);
    const second = problem('tables:\n  dim_customer:\n    - check: not_empty\n      column: email\n');
    expect(second.message).toMatch(
      /line 3, column 14: tables\.dim_customer\.0\.check: unknown check type; use one of row_count, not_null/,
    );
  });

  test('a wrong value names its line', () => {
    const error = problem(
      'tables:\n  dim_customer:\n    - check: not_null\n      column: email\n      warn: { max_percent: 150 }\n',
    );
    expect(error.message).toMatch(/^checks\.yml line 5, column \d+: tables\.dim_customer\.0\.warn\.max_percent: /);
  });

  test('a bad duration and a freshness check without max_age', () => {
    expect(
      problem('tables:\n  t:\n    - check: freshness\n      column: d\n      fail: { max_age: 7 days }\n').message,
    ).toMatch(/line 5, column \d+: .*a duration is a number and m, h, d or w/);
    expect(problem('tables:\n  t:\n    - check: freshness\n      column: d\n      fail: { max: 1 }\n').message).toMatch(
      /line 3, column 7: .*freshness needs max_age/,
    );
  });

  test('row_count needs a threshold; range needs a bound; sql needs a name', () => {
    expect(problem('tables:\n  t:\n    - check: row_count\n').message).toMatch(
      /row_count needs a fail or warn threshold/,
    );
    expect(problem('tables:\n  t:\n    - check: range\n      column: q\n').message).toMatch(
      /range needs min, max or both/,
    );
    expect(problem('tables:\n  t:\n    - check: sql\n      sql: select 1\n').message).toMatch(
      /line 3, column 7: .*name/,
    );
  });

  test('two checks with the same name on one table', () => {
    const error = problem(
      'tables:\n  t:\n    - check: not_null\n      column: a\n    - check: not_null\n      column: a\n',
    );
    expect(error.message).toBe('checks.yml line 5, column 7: two checks on t are named not_null(a)');
  });

  test('a missing file and a bad reference_time', () => {
    expect(() => readChecksFile(join(dir.path, 'nope.yml'), 'nope.yml')).toThrow(/nope\.yml: no such checks file/);
    expect(
      problem('reference_time: yesterday\ntables:\n  t:\n    - check: not_null\n      column: a\n').message,
    ).toMatch(/reference_time "yesterday" is not a date/);
  });
});

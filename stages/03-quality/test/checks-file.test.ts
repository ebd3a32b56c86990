import { readFileSync, writeFileSync } from 'node:fs';
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

  test('a misspelt key names the check, the key and its line, and suggests the right key', () => {
    const error = problem('tables:\n  dim_customer:\n    - check: not_null\n      colum: email\n');
    // The missing `column:` is the same typo: one problem, not two.
    expect(error.message).toBe(
      'checks.yml line 4, column 7: tables.dim_customer, check 1 (not_null): unknown key "colum": did you mean "column"?',
    );
    expect([error.line, error.column, error.exitCode]).toEqual([4, 7, 3]);
    expect(
      problem('tables:\n  t:\n    - check: not_null\n      column: e\n      warn: { max_precent: 5 }\n').message,
    ).toBe(
      'checks.yml line 5, column 15: tables.t, check 1 (not_null), warn: unknown key "max_precent": did you mean "max_percent"?',
    );
    // Nothing close: the keys allowed there instead of a guess.
    expect(problem('tables:\n  t:\n    - check: not_null\n      column: e\n      severity: high\n').message).toBe(
      'checks.yml line 5, column 7: tables.t, check 1 (not_null): unknown key "severity" (allowed here: check, column, name, fail, warn)',
    );
    expect(problem('table:\n  t:\n    - check: row_count\n      fail: { min: 1 }\n').message).toBe(
      'checks.yml line 1, column 1: unknown key "table": did you mean "tables"?',
    );
  });

  test('every problem is listed, each on its own line with its line and column', () => {
    const text = [
      'tables:',
      '  dim_customer:',
      '    - check: not_null',
      '      colum: email',
      '    - check: not_null',
      '      column: phone',
      '      warn: { max_percent: 5% }',
      '  fact_sales:',
      '    - check: uniqe',
      '      columns: [sale_id]',
      '',
    ].join('\n');
    const error = problem(text);
    const lines = [
      'checks.yml line 4, column 7: tables.dim_customer, check 1 (not_null): unknown key "colum": did you mean "column"?',
      'checks.yml line 7, column 28: tables.dim_customer, check 2 (not_null), warn: "max_percent" must be a number, not the text "5%"',
      'checks.yml line 9, column 14: tables.fact_sales, check 1: unknown check type "uniqe" (did you mean "unique"?); use one of row_count, not_null, unique, accepted_values, range, relationships, freshness, schema, sql',
    ];
    expect(error.message).toBe(lines.join('\n'));
    // The error itself points at the first problem.
    expect([error.file, error.line, error.column, error.exitCode]).toEqual(['checks.yml', 4, 7, 3]);
    // The README shows this very output.
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    for (const line of lines) expect(readme).toContain(line);
  });

  test('more than 10 problems: the first 10, then how many more', () => {
    const entries = Array.from({ length: 12 }, (_, i) => `    - check: not_null\n      colum${i}: a\n`);
    const lines = problem(`tables:\n  t:\n${entries.join('')}`).message.split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[9]).toBe(
      'checks.yml line 22, column 7: tables.t, check 10 (not_null): unknown key "colum9": did you mean "column"?',
    );
    expect(lines[10]).toBe('… and 2 more problems');
  });

  test('a value of the wrong type is a sentence naming the key and what was given', () => {
    const error = problem(
      'tables:\n  t:\n    - check: not_null\n      column: e\n      warn: { max_percent: "5%" }\n    - check: range\n      column: q\n      max: ten\n    - check: unique\n      columns: [a, 3]\n    - check: not_null\n      column:\n',
    );
    expect(error.message.split('\n')).toEqual([
      'checks.yml line 5, column 28: tables.t, check 1 (not_null), warn: "max_percent" must be a number, not the text "5%"',
      'checks.yml line 8, column 12: tables.t, check 2 (range): "max" must be a number, not the text "ten"',
      'checks.yml line 10, column 20: tables.t, check 3 (unique): item 2 of "columns" must be text, not the number 3',
      'checks.yml line 12, column 14: tables.t, check 4 (not_null): "column" has no value: it must be text',
    ]);
    expect(problem('sample_rows: many\ntables:\n  t:\n    - check: row_count\n      fail: { min: 1 }\n').message).toBe(
      'checks.yml line 1, column 14: "sample_rows" must be a number, not the text "many"',
    );
  });

  test('an unknown check type lists the valid ones', () => {
    const error = problem('tables:\n  dim_customer:\n    - row_count\n    - check: not_empty\n      column: email\n');
    expect(error.message.split('\n')).toEqual([
      'checks.yml line 3, column 7: tables.dim_customer, check 1: a check is a map such as { check: not_null, column: email }, not the text "row_count"',
      'checks.yml line 4, column 14: tables.dim_customer, check 2: unknown check type "not_empty"; use one of row_count, not_null, unique, accepted_values, range, relationships, freshness, schema, sql',
    ]);
    expect(problem('tables:\n  t:\n    - column: email\n').message).toBe(
      'checks.yml line 3, column 7: tables.t, check 1: "check" is missing; use one of row_count, not_null, unique, accepted_values, range, relationships, freshness, schema, sql',
    );
  });

  test('a wrong value names its line', () => {
    const error = problem(
      'tables:\n  dim_customer:\n    - check: not_null\n      column: email\n      warn: { max_percent: 150 }\n',
    );
    expect(error.message).toBe(
      'checks.yml line 5, column 28: tables.dim_customer, check 1 (not_null), warn: "max_percent" must be at most 100, not 150',
    );
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
    expect(problem('tables:\n  t:\n    - check: sql\n      sql: select 1\n').message).toBe(
      'checks.yml line 3, column 7: tables.t, check 1 (sql): "name" is missing',
    );
    expect(problem('tables:\n  t: []\n').message).toBe(
      'checks.yml line 2, column 6: tables: "t" must list at least 1 check; it lists 0',
    );
    expect(problem('').message).toBe(
      'checks.yml line 1, column 1: the file is empty: it needs tables:, each table with a list of checks',
    );
  });

  test('two checks with the same name on one table', () => {
    const error = problem(
      'tables:\n  t:\n    - check: not_null\n      column: a\n    - check: not_null\n      column: a\n',
    );
    expect(error.message).toBe(
      'checks.yml line 5, column 7: tables.t, check 2 (not_null): check 1 has the same name, not_null(a); give one of them another (name: …)',
    );
  });

  test('a missing file and a bad reference_time', () => {
    expect(() => readChecksFile(join(dir.path, 'nope.yml'), 'nope.yml')).toThrow(/nope\.yml: no such checks file/);
    expect(
      problem('reference_time: yesterday\ntables:\n  t:\n    - check: not_null\n      column: a\n').message,
    ).toMatch(/^checks\.yml line 1, column 17: reference_time "yesterday" is not a date/);
  });
});

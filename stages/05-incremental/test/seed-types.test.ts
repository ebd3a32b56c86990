import { describe, expect, test } from 'vitest';
import { inferKind, inferSeedColumns, parseAgateNumber, seedValue } from '../src/seeds/infer-seed-types.ts';
import { parseCsv } from '../src/seeds/parse-csv.ts';

// dbt's seed type inference, table-driven from notes/dbt.md §3.1–3.2.
describe('seed type inference', () => {
  test.each([
    // whole numbers (after agate's Number: leading zeros lost, %, currency, group separators)
    [['1', '2', '3'], 'integer'],
    [['007', '010'], 'integer'],
    [['1.00', '2.00'], 'integer'],
    [['1.00', '2.50'], 'float8'],
    [['1e3', '2'], 'integer'],
    [['1.5e1'], 'integer'],
    [['1.25e1'], 'float8'],
    [['1,234', '5'], 'integer'],
    [['$5', '€7'], 'integer'],
    [['5%', '-3'], 'integer'],
    [['-1.5', '+2'], 'float8'],
    [['.5'], 'float8'],
    [['1_000'], 'integer'],
    [['NaN', '1'], 'float8'],
    [['Infinity'], 'float8'],
    [['1', '0'], 'integer'],
    // empty and null never decide; an all-empty column is integer
    [['', 'null', 'NULL', '  '], 'integer'],
    [['', '3'], 'integer'],
    [['', 'abc'], 'text'],
    // dates: %Y-%m-%d, single-digit month and day accepted, a real day
    [['2024-01-05', '2024-1-5'], 'date'],
    [['2024-02-30'], 'text'],
    [['2024-02-29'], 'date'],
    // timestamps: exactly %Y-%m-%d %H:%M:%S, or ISO with T
    [['2024-01-05 10:00:00'], 'timestamp'],
    [['2024-01-05 10:00:00.5'], 'text'],
    [['2024-01-05T10:00:00'], 'timestamp'],
    [['2024-01-05T10:00:00Z', '2024-01-05T10:00:00.123+02:00'], 'timestamp'],
    [['2024-01-05T10:00'], 'timestamp'],
    // one with a space, one with T: each fails the other's tester, so text (as in dbt)
    [['2024-01-05 10:00:00', '2024-01-05T11:00:00'], 'text'],
    // a date and a timestamp in one column → text
    [['2024-01-01', '2024-01-01 10:00:00'], 'text'],
    // booleans: true/false in any case only
    [['true', 'FALSE', 'True'], 'boolean'],
    [['TRUE', ''], 'boolean'],
    [['yes', 'no'], 'text'],
    [['t', 'f'], 'text'],
    [['true', '1'], 'text'],
    [['True', '2024-01-01'], 'text'],
    // everything else
    [['abc', '1'], 'text'],
    [['12abc'], 'text'],
    [['1.2.3'], 'text'],
  ])('%j → %s', (values, kind) => {
    expect(inferKind(values)).toBe(kind);
  });

  test.each([
    ['integer', '007', '7'],
    ['integer', '1.00', '1'],
    ['integer', '1e3', '1000'],
    ['integer', '$1,234', '1234'],
    ['integer', '-5%', '-5'],
    ['integer', '-0', '0'],
    ['float8', '2.50', '25e-1'],
    ['float8', 'NaN', 'nan'],
    ['float8', '-Infinity', '-inf'],
    ['date', '2024-1-5', '2024-01-05'],
    ['timestamp', '2024-01-05 1:02:03', '2024-01-05 01:02:03'],
    ['timestamp', '2024-01-05T10:00:00Z', '2024-01-05T10:00:00+00:00'],
    ['timestamp', '20240105T100000,5', '2024-01-05T10:00:00.500000'],
    ['boolean', 'TRUE', 'true'],
    ['text', ' spaced ', ' spaced '],
    ['text', 'null', null],
    ['integer', '', null],
    ['boolean', ' ', null],
  ])('%s value %j loads as %j', (kind, value, loaded) => {
    expect(seedValue(kind as never, value)).toBe(loaded);
  });

  test('agate numbers normalize like Python Decimal', () => {
    expect(parseAgateNumber('2.50')).toEqual({
      kind: 'finite',
      negative: false,
      digits: '25',
      exponent: -1,
      decimals: 1,
    });
    expect(parseAgateNumber('True')).toBeUndefined();
    expect(parseAgateNumber('0.000')).toMatchObject({ digits: '', decimals: 0 });
  });

  test('column_types overrides by exact name, reading the values as text (so "007" stays)', () => {
    const csv = parseCsv('id,zip,Amount\n1,007,1.5\n2,010,2\n', { file: 'seeds/x.csv' });
    const columns = inferSeedColumns(
      csv.header,
      csv.records.map((r) => r.fields),
      { zip: 'varchar', amount: 'decimal(10,2)' },
    );
    expect(columns).toEqual([
      { name: 'id', kind: 'integer', sqlType: 'integer', overridden: false },
      { name: 'zip', kind: 'text', sqlType: 'varchar', overridden: true },
      // `amount` ≠ `Amount`: dbt matches column_types by exact name.
      { name: 'Amount', kind: 'float8', sqlType: 'float8', overridden: false },
    ]);
    expect(seedValue('text', '007')).toBe('007');
  });
});

describe('seed CSV parsing', () => {
  test('quotes, doubled quotes, line breaks inside quotes, CRLF, BOM, blank lines', () => {
    const text = '\uFEFFid,note\r\n1,"a, b"\r\n\r\n2,"say ""hi"""\r\n3,"two\nlines"\r\n4,\r\n';
    expect(parseCsv(text, { file: 'seeds/n.csv' })).toEqual({
      header: ['id', 'note'],
      records: [
        { line: 2, fields: ['1', 'a, b'] },
        { line: 4, fields: ['2', 'say "hi"'] },
        { line: 5, fields: ['3', 'two\nlines'] },
        { line: 7, fields: ['4', ''] },
      ],
    });
  });

  test('another delimiter', () => {
    expect(parseCsv('a;b\n1,5;x\n', { file: 's.csv', delimiter: ';' }).records).toEqual([
      { line: 2, fields: ['1,5', 'x'] },
    ]);
  });

  test.each([
    ['id,name\n1,Ada\n2,Bob,extra\n', 'seeds/p.csv line 3: this record has 3 fields but the header has 2 columns'],
    ['id,name\n1\n', 'seeds/p.csv line 2: this record has 1 fields but the header has 2 columns'],
    ['id,name\n1,"Ada\n2,Bob\n', 'seeds/p.csv line 2: a quoted field is never closed (its opening quote is here)'],
    ['id,id\n1,2\n', 'seeds/p.csv line 1: the header names column "id" twice (columns 1 and 2)'],
    ['id,\n1,2\n', 'seeds/p.csv line 1: column 2 of the header has no name'],
    ['', 'seeds/p.csv: the file is empty: a seed needs a header line with the column names'],
  ])('malformed %j → %s', (text, message) => {
    expect(() => parseCsv(text, { file: 'seeds/p.csv' })).toThrow(message);
  });
});

import { InputFileError } from '@mart/shared';
import { checkHeader } from '@mart/track/02-csv-loads';
import { describe, expect, test } from 'vitest';

const storeColumns = ['store_id', 'name', 'region'];

/**
 * The InputFileError checkHeader throws for a header. Any other error is rethrown as is,
 * so an untouched exercise is reported as "not implemented yet", not as a wrong error.
 */
function headerError(file: string, header: readonly string[], expected: readonly string[]): InputFileError {
  try {
    checkHeader(file, header, expected);
  } catch (error) {
    if (error instanceof InputFileError) return error;
    throw error;
  }
  throw new Error(`checkHeader accepted the header [${header.join(', ')}]`);
}

describe('check-header', () => {
  test('returns the names trimmed and in lower case', () => {
    expect(checkHeader('stores.csv', [' Store_ID', 'NAME ', ' Region '], storeColumns)).toEqual(storeColumns);
  });

  test("keeps the file's column order, not the expected order", () => {
    expect(checkHeader('stores.csv', ['region', 'store_id', 'name'], storeColumns)).toEqual([
      'region',
      'store_id',
      'name',
    ]);
  });

  test('a one-column file is fine when one column is expected', () => {
    expect(checkHeader('ids.csv', [' ID'], ['id'])).toEqual(['id']);
  });

  test('a duplicate column (after trimming and lower-casing) names the file, line 1 and its column', () => {
    const error = headerError('sales.csv', ['sale_id', 'name', ' Name'], ['sale_id', 'name']);
    expect(error).toMatchObject({ file: 'sales.csv', line: 1, column: 3 });
    // e.g. sales.csv line 1, column 3: duplicate column "name"
    expect(error.message).toMatch(/^sales\.csv line 1, column 3: .*duplicate.*"name"/);
  });

  test('an empty column name is reported at its position', () => {
    const error = headerError('stores.csv', ['store_id', '  ', 'name', 'region'], storeColumns);
    expect(error).toMatchObject({ file: 'stores.csv', line: 1, column: 2 });
    expect(error.message).toMatch(/^stores\.csv line 1, column 2: .*empty/);
  });

  test('an unexpected column is reported at its position, with its name', () => {
    const error = headerError('stores.csv', ['store_id', 'name', 'Colour', 'region'], storeColumns);
    expect(error).toMatchObject({ file: 'stores.csv', line: 1, column: 3 });
    expect(error.message).toMatch(/^stores\.csv line 1, column 3: .*"colour"/);
  });

  test('a header missing exactly one column is refused, naming that one', () => {
    expect(checkHeader('stores.csv', ['store_id', 'name', 'region'], storeColumns)).toEqual(storeColumns); // a working function first
    const error = headerError('stores.csv', ['store_id', 'name'], storeColumns);
    expect(error).toMatchObject({ file: 'stores.csv', line: 1, column: undefined });
    expect(error.message).toMatch(/^stores\.csv line 1: .*missing/);
    expect(error.message).toContain('"region"');
    expect(error.message).not.toContain('"store_id"');
    // The last expected column missing from a one-column file, too.
    expect(headerError('ids.csv', ['id'], ['id', 'name'])).toMatchObject({
      file: 'ids.csv',
      line: 1,
      column: undefined,
    });
  });

  test('every missing column is named, without a column position', () => {
    const error = headerError('stores.csv', ['name'], storeColumns);
    expect(error).toMatchObject({ file: 'stores.csv', line: 1, column: undefined });
    expect(error.message).toMatch(/^stores\.csv line 1: .*missing/);
    expect(error.message).toContain('"store_id"');
    expect(error.message).toContain('"region"');
    expect(error.message).not.toContain('"name"');
  });

  test('a header separated by semicolons, tabs or pipes says which one (in words)', () => {
    // A file saved with another delimiter parses as a single field holding every name. The
    // delimiter must be named in words: the field itself already contains the character.
    const cases = [
      { header: 'store_id;name;region', delimiter: /semicolon/i },
      { header: 'store_id\tname\tregion', delimiter: /tab/i },
      { header: 'store_id|name|region', delimiter: /pipe/i },
    ];
    for (const { header, delimiter } of cases) {
      const error = headerError('stores.csv', [header], storeColumns);
      expect(error).toMatchObject({ file: 'stores.csv', line: 1 });
      expect(error.message).toMatch(/^stores\.csv line 1/);
      expect(error.message).toMatch(delimiter);
    }
  });
});

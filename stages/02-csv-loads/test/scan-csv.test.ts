import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputFileError } from '@mart/shared';
import { tempDir } from '@mart/shared/testing';
import { afterAll, describe, expect, test } from 'vitest';
import { scanCsv } from '../src/csv/scan-csv.ts';

const dir = tempDir('stage-02-scan');
afterAll(() => dir.remove());

/** Writes `content` to a file and scans it. */
function scan(content: string | Uint8Array) {
  const path = join(dir.path, 'test.csv');
  writeFileSync(path, content);
  return scanCsv(path, 'test.csv');
}

function scanError(content: string | Uint8Array): InputFileError {
  try {
    scan(content);
  } catch (error) {
    if (error instanceof InputFileError) return error;
    throw error;
  }
  throw new Error('expected an InputFileError');
}

const goodLines = (result: ReturnType<typeof scan>) => Array.from(result.good.lines.subarray(0, result.good.count));

describe('scanCsv: records and their lines', () => {
  test('plain LF file: one record per line, header is line 1', () => {
    const result = scan('a,b\n1,2\n3,4\n');
    expect(result.header).toEqual(['a', 'b']);
    expect(result.read).toBe(2);
    expect(goodLines(result)).toEqual([2, 3]);
    expect(result.lineEnding).toBe('LF');
  });

  test('CRLF line ends, a byte-order mark and a trailing empty line', () => {
    const result = scan('\uFEFFa,b\r\n1,2\r\n3,4\r\n\r\n');
    expect(result.hasBom).toBe(true);
    expect(result.header).toEqual(['a', 'b']);
    expect(result.lineEnding).toBe('CRLF');
    expect(result.read).toBe(2);
    expect(result.broken).toEqual([]);
    // The record's bytes exclude the line ending.
    expect(result.bytes.toString('utf8', result.good.starts[1], result.good.ends[1])).toBe('3,4');
  });

  test('quoted fields with commas, doubled quotes and line breaks keep later line numbers right', () => {
    const result = scan('a,b\n1,"x, y"\n2,"two\nlines"\n3,"say ""hi"""\n4,"three\r\nline\nfield"\n5,z\n');
    expect(result.read).toBe(5);
    expect(goodLines(result)).toEqual([2, 3, 5, 6, 9]);
  });

  test('blank lines are not records, and the last record may lack a line end', () => {
    const result = scan('a,b\n1,2\n\n\n3,4');
    expect(result.read).toBe(2);
    expect(goodLines(result)).toEqual([2, 5]);
  });

  test('quoted header names are unquoted; a header-only file has no records', () => {
    const result = scan('"a","b, c"\n');
    expect(result.header).toEqual(['a', 'b, c']);
    expect(result.read).toBe(0);
  });
});

describe('scanCsv: broken records are rejected, with line and reason', () => {
  test('too many and too few fields', () => {
    const result = scan('a,b,c\n1,2,3\n1,2\n1,2,3,4\n5,6,7\n');
    expect(result.read).toBe(4);
    expect(result.broken).toEqual([
      { line: 3, record: '1,2', reason: '2 fields, but the header has 3' },
      { line: 4, record: '1,2,3,4', reason: '4 fields, but the header has 3' },
    ]);
    expect(goodLines(result)).toEqual([2, 5]);
  });

  test('text after a closing quote', () => {
    const result = scan('a,b\n1,"ab"c\n2,d\n');
    expect(result.broken).toEqual([{ line: 2, record: '1,"ab"c', reason: 'text after the closing quote of field 2' }]);
  });

  test('a carriage return alone in the middle of a line', () => {
    const result = scan('a,b\n1,x\ry\n2,d\n');
    expect(result.broken[0]).toMatchObject({ line: 2, reason: 'a carriage return (CR) alone in the middle of a line' });
    expect(result.read).toBe(2);
  });

  test('a quote inside an unquoted field is kept as a character (as DuckDB does)', () => {
    const result = scan('a,b\n1,5" screen\n');
    expect(result.broken).toEqual([]);
    expect(result.read).toBe(1);
  });
});

describe('scanCsv: unusable files stop with file, line and column', () => {
  test('missing file', () => {
    expect(() => scanCsv(join(dir.path, 'nope.csv'), 'nope.csv')).toThrow(/^nope\.csv: file not found/);
  });

  test('empty file, or only a byte-order mark and blank lines', () => {
    expect(scanError('').message).toBe('test.csv line 1: the file is empty: it needs a header line and rows');
    expect(scanError('\uFEFF\n\r\n').message).toMatch(/empty/);
  });

  test('invalid UTF-8 names the line, the column and the byte', () => {
    // "Malmö" saved as Latin-1: ö is the single byte 0xF6.
    const bytes = Buffer.concat([Buffer.from('a,b\n1,ok\n2,Malm'), Buffer.from([0xf6]), Buffer.from('\n')]);
    const error = scanError(bytes);
    expect(error).toMatchObject({ file: 'test.csv', line: 3, column: 7 });
    expect(error.message).toBe('test.csv line 3, column 7: not valid UTF-8 (byte 0xf6)');
  });

  test('a quote that is never closed names where it opened', () => {
    const error = scanError('a,b\n1,2\n3,"open\n4,5\n');
    expect(error).toMatchObject({ line: 3, column: 3 });
    expect(error.message).toMatch(/never closed/);
  });
});

import { existsSync, readFileSync, statSync } from 'node:fs';
import { InputFileError } from '@mart/shared';
import { locateInvalidUtf8 } from './locate-invalid-utf8.ts';

/** A record that cannot be split into the header's columns: rejected, never loaded. */
export interface BrokenRecord {
  /** Line where the record starts (the header is line 1). */
  line: number;
  /** The record exactly as in the file, without its line ending. */
  record: string;
  reason: string;
}

/** What one pass over a CSV file's bytes found. */
export interface CsvScan {
  /** The file name used in messages, e.g. `sales.csv`. */
  file: string;
  path: string;
  bytes: Buffer;
  /** Header fields exactly as written (unquoted, not yet trimmed). */
  header: string[];
  /** Data records after the header. Blank lines are not records. */
  read: number;
  /** Records with the header's number of fields, in file order: the ones DuckDB will read. */
  good: { count: number; lines: Int32Array; starts: Int32Array; ends: Int32Array };
  /** Records with the wrong number of fields or broken quoting. */
  broken: BrokenRecord[];
  /** Blank lines between records (trailing ones do not count). */
  innerBlankLines: number;
  lineEnding: 'LF' | 'CRLF';
  /** Some records end with the other line ending than the header (a file edited on two systems). */
  mixedLineEndings: boolean;
  hasBom: boolean;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Reads a CSV file and walks its bytes once, the way RFC 4180 defines records: fields
 * split by commas, records by line breaks, except inside "quoted fields" (where `""`
 * is one quote and line breaks are data). Why not let DuckDB do it alone? Because we
 * want the *line number* of every record for the rejects, and DuckDB does not say which
 * line a row came from. Here we also stop files that are unusable as a whole (missing,
 * empty, not UTF-8, a quote never closed) with a message naming file, line and column.
 *
 * @example
 * const scan = scanCsv('data/seeds/stage-02/sales.csv', 'sales.csv');
 * scan.read // → 311 records after the header
 */
export function scanCsv(path: string, file: string): CsvScan {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new InputFileError(file, `file not found (${path})`, {
      hint: 'Every build needs customers.csv, products.csv, stores.csv and sales.csv in the input folder.',
    });
  }
  const bytes = readFileSync(path);
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const start = hasBom ? 3 : 0;
  if (bytes.subarray(start).toString('latin1').trim() === '') {
    throw new InputFileError(file, 'the file is empty: it needs a header line and rows', { line: 1 });
  }
  const invalid = locateInvalidUtf8(bytes);
  if (invalid) {
    throw new InputFileError(file, `not valid UTF-8 (byte 0x${invalid.byte.toString(16)})`, {
      line: invalid.line,
      column: invalid.column,
      hint: 'Save the file as UTF-8 (in a spreadsheet: "CSV UTF-8").',
    });
  }

  const headerRecord = readRecord(bytes, start, 1, file);
  const header = splitFields(bytes.toString('utf8', start, headerRecord.end));
  const lineEnding = bytes[headerRecord.end] === CR ? 'CRLF' : 'LF';

  // Typed arrays instead of objects: a million records cost 12 MB, not hundreds.
  const capacity = countLineFeeds(bytes) + 1;
  const good = {
    count: 0,
    lines: new Int32Array(capacity),
    starts: new Int32Array(capacity),
    ends: new Int32Array(capacity),
  };
  const broken: BrokenRecord[] = [];
  let read = 0;
  let blanks = 0;
  let innerBlankLines = 0;
  let mixedLineEndings = false;
  let line = 1 + headerRecord.lineBreaks;
  let position = headerRecord.next;
  while (position < bytes.length) {
    const record = readRecord(bytes, position, line, file);
    if (record.end === position) blanks++;
    else {
      innerBlankLines += blanks;
      blanks = 0;
      read++;
      const problem =
        record.problem ??
        (record.fields === header.length
          ? undefined
          : `${record.fields} field${record.fields === 1 ? '' : 's'}, but the header has ${header.length}`);
      if (problem) {
        broken.push({ line, record: bytes.toString('utf8', position, record.end), reason: problem });
      } else {
        good.lines[good.count] = line;
        good.starts[good.count] = position;
        good.ends[good.count] = record.end;
        good.count++;
      }
      // A record ending in CR LF in an LF file (or the reverse): DuckDB's reader picks one
      // line ending for the whole file and, on small files, refuses the other.
      if (record.next > record.end && (bytes[record.end] === CR) !== (lineEnding === 'CRLF')) mixedLineEndings = true;
    }
    line += record.lineBreaks;
    position = record.next;
  }
  return { file, path, bytes, header, read, good, broken, innerBlankLines, lineEnding, mixedLineEndings, hasBom };
}

interface RecordBounds {
  /** Byte offset just past the record's last field (before its line ending). */
  end: number;
  /** Byte offset where the next record starts. */
  next: number;
  fields: number;
  /** Line breaks consumed, inside quoted fields and the one that ends the record. */
  lineBreaks: number;
  problem?: string;
}

/** Finds where the record starting at `start` ends, counting its fields. */
function readRecord(bytes: Buffer, start: number, line: number, file: string): RecordBounds {
  let fields = 1;
  let lineBreaks = 0;
  let problem: string | undefined;
  let state: 'start' | 'unquoted' | 'quoted' | 'after-quote' = 'start';
  let quoteAt = 0;
  for (let i = start; i < bytes.length; i++) {
    const byte = bytes[i];
    if (state === 'quoted') {
      if (byte === QUOTE) {
        if (bytes[i + 1] === QUOTE)
          i++; // "" is one quote character
        else state = 'after-quote';
      } else if (byte === LF) lineBreaks++;
      continue;
    }
    if (byte === LF)
      return {
        end: bytes[i - 1] === CR && i > start ? i - 1 : i,
        next: i + 1,
        fields,
        lineBreaks: lineBreaks + 1,
        problem,
      };
    if (byte === COMMA) {
      fields++;
      state = 'start';
    } else if (byte === QUOTE && state === 'start') {
      state = 'quoted';
      quoteAt = i;
    } else if (byte === CR && bytes[i + 1] !== LF) {
      problem ??= 'a carriage return (CR) alone in the middle of a line';
    } else if (state === 'after-quote' && byte !== CR) {
      problem ??= `text after the closing quote of field ${fields}`;
      state = 'unquoted';
    } else if (state === 'start' && byte !== CR) {
      state = 'unquoted'; // a quote inside an unquoted field is kept as a character, as DuckDB does
    }
  }
  if (state === 'quoted') {
    const lineStart = bytes.lastIndexOf(LF, quoteAt) + 1;
    throw new InputFileError(file, 'a quoted field starts here and is never closed', {
      line: line + countLineFeeds(bytes.subarray(start, lineStart)),
      column: bytes.toString('utf8', lineStart, quoteAt).length + 1,
      hint: 'Every " that opens a field needs a closing "; a quote inside a field is written "".',
    });
  }
  const end = bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
  return { end: Math.max(start, end), next: bytes.length, fields, lineBreaks, problem };
}

/** Splits one record's text into unquoted fields (used for the header only). */
function splitFields(record: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const char = record[i];
    if (quoted) {
      if (char === '"' && record[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}

function countLineFeeds(bytes: Uint8Array): number {
  let count = 0;
  for (let at = bytes.indexOf(LF); at !== -1; at = bytes.indexOf(LF, at + 1)) count++;
  return count;
}

import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, type Database, insertRows, quoteIdentifier, quoteLiteral } from '@mart/shared';
import type { CsvScan } from '../csv/scan-csv.ts';

/**
 * Loads a scanned CSV into a staging table: every column as text (`varchar`), exactly as
 * written. Typing comes later, in SQL, where a bad value becomes a reject with a reason
 * instead of a failed load. Row i of the staging table (its rowid) is good record i of
 * the scan; `line_shifts` turns that into the record's line in the file.
 *
 * Staging tables are temporary (gone after the build) unless `keep` is set: persisting
 * a million text rows doubled the build time, and rejected_rows already keeps every
 * record that did not load, exactly as written.
 *
 * DuckDB's CSV reader does the heavy lifting with every option spelled out (no
 * guessing). If the scan found broken records, inner blank lines or mixed line endings,
 * DuckDB reads a copy without them, so both agree on which records exist; the counts are
 * compared to be sure.
 */
export async function stageCsv(
  db: Database,
  scan: CsvScan,
  columns: readonly string[],
  table: string,
  keep = false,
): Promise<void> {
  // DuckDB reads the file itself when it is regular; otherwise a copy with only the good
  // records, one line ending throughout (blank lines in the middle, e.g. a lone "\r"
  // line, and a CR LF line in an LF file both trip its strict parser).
  const regular = scan.broken.length === 0 && scan.innerBlankLines === 0 && !scan.mixedLineEndings;
  const source = regular ? scan.path : writeGoodRecords(scan);
  const columnTypes = `{${columns.map((name) => `${quoteLiteral(name)}: 'VARCHAR'`).join(', ')}}`;
  try {
    // auto_detect off: the header was checked already, and every value stays text.
    await db.run(`
      create ${keep ? '' : 'temp '}table ${quoteIdentifier(table)} as
      select * from read_csv(${quoteLiteral(source)},
        header = true, delim = ',', quote = '"', escape = '"', auto_detect = false,
        strict_mode = true, columns = ${columnTypes})`);
  } catch (error) {
    throw new CliError(`${scan.file}: DuckDB could not read the file: ${firstLine(error)}`, { cause: error });
  } finally {
    if (source !== scan.path) rmSync(source, { force: true });
  }
  const staged = await db.value<number>(`select count(*)::int from ${quoteIdentifier(table)}`);
  if (staged !== scan.good.count) {
    throw new CliError(
      `${scan.file}: DuckDB read ${staged} records but the scan found ${scan.good.count}; refusing to guess which are missing.`,
    );
  }
  // Rows keep the file's order, so rowid i is good record i, on line i + shift, where the
  // shift only changes after a multi-line or broken record: store just those changes.
  await insertRows(
    db,
    'line_shifts',
    lineShifts(scan).map((shift) => ({ staging: table, ...shift })),
  );
}

/** `line_shifts` must exist before {@link stageCsv} runs. */
export const createLineShiftsSql = 'create temp table line_shifts (staging varchar, from_row bigint, shift integer)';

function lineShifts(scan: CsvScan): Array<{ from_row: number; shift: number }> {
  const shifts: Array<{ from_row: number; shift: number }> = [];
  for (let row = 0; row < scan.good.count; row++) {
    const shift = (scan.good.lines[row] ?? 0) - row;
    if (shifts.at(-1)?.shift !== shift) shifts.push({ from_row: row, shift });
  }
  return shifts;
}

/** A temporary copy of the file with only the header and the good records. */
function writeGoodRecords(scan: CsvScan): string {
  const path = join(tmpdir(), `mart-${process.pid}-${scan.file}`);
  const parts: Buffer[] = [Buffer.from(`${scan.header.map((name) => quoteField(name)).join(',')}\n`)];
  for (let row = 0; row < scan.good.count; row++) {
    parts.push(scan.bytes.subarray(scan.good.starts[row], scan.good.ends[row]), Buffer.from('\n'));
  }
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

function quoteField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

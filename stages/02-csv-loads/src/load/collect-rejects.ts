import { type Database, quoteIdentifier } from '@mart/shared';
import type { CsvScan } from '../csv/scan-csv.ts';
import type { CsvTable } from '../csv-tables.ts';

/** One row of `rejected_rows` and of data/rejects/stage-02/<file>.csv. */
export type RejectedRow = {
  file: string;
  line: number;
  /** structure | value | duplicate | orphan */
  rule: string;
  reason: string;
  /** The record exactly as in the file. */
  record: string;
};

/**
 * Every rejected record of one file, in line order: the broken ones the scan found and
 * the typed rows marked with a problem. The raw text comes from the file's bytes, so a
 * learner sees precisely what was written, not what we made of it.
 */
export async function collectRejects(db: Database, table: CsvTable, scan: CsvScan): Promise<RejectedRow[]> {
  const rejects: RejectedRow[] = scan.broken.map((broken) => ({
    file: scan.file,
    line: broken.line,
    rule: 'structure',
    reason: broken.reason,
    record: broken.record,
  }));
  const marked = await db.all<{ line: number; rule: string; reason: string }>(
    `select _line as line, _rule as rule, _problem as reason
       from ${quoteIdentifier(table.typed)}
      where _problem is not null`,
  );
  for (const row of marked) rejects.push({ file: scan.file, ...row, record: recordAt(scan, row.line) });
  return rejects.sort((a, b) => a.line - b.line);
}

/** The raw text of the good record starting on `line` (binary search: lines are sorted). */
function recordAt(scan: CsvScan, line: number): string {
  let low = 0;
  let high = scan.good.count - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const found = scan.good.lines[middle] ?? 0;
    if (found === line) return scan.bytes.toString('utf8', scan.good.starts[middle], scan.good.ends[middle]);
    if (found < line) low = middle + 1;
    else high = middle - 1;
  }
  throw new Error(`${scan.file}: no record starts on line ${line}.`);
}

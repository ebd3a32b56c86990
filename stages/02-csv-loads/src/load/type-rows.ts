import { type Database, insertRows, quoteIdentifier } from '@mart/shared';
import type { CsvTable } from '../csv-tables.ts';
import type { RowReject } from '../given/index.ts';
import type { CsvLoadPieces } from '../pieces.ts';

/**
 * Staging (text) → typed table, with `_line` (the record's line in the file). Each column goes through the castColumn piece, which
 * writes two SQL expressions: the typed value and the problem (NULL when fine). A row
 * with any problem stays in the typed table, marked, so it can be rejected with all
 * its reasons instead of disappearing.
 */
export async function typeRows(db: Database, table: CsvTable, pieces: CsvLoadPieces): Promise<void> {
  const casts = table.columns.map((column) => ({ name: column.name, ...pieces.castColumn(column) }));
  const values = casts.map((cast) => `${cast.value} as ${quoteIdentifier(cast.name)}`);
  const problems = casts.map((cast) => cast.problem);
  // Row i of staging is good record i; its line is i + shift (see stageCsv). Usually one
  // shift covers the whole file; after multi-line or broken records an ASOF join picks,
  // for each row, the last shift that starts at or before it.
  const shifts = await db.all<{ shift: number }>('select shift from line_shifts where staging = $1', [table.staging]);
  const line = shifts.length === 1 ? `r.rowid + ${Number(shifts[0]?.shift)}` : 'r.rowid + s.shift';
  const join = shifts.length === 1 ? '' : 'asof join line_shifts s on s.staging = $1 and r.rowid >= s.from_row';
  await db.run(
    `create temp table ${quoteIdentifier(table.typed)} as
     select *, case when _problem is not null then 'value' end as _rule
       from (select (${line})::int as _line,
                    ${values.join(',\n                    ')},
                    nullif(concat_ws('; ', ${problems.join(', ')}), '') as _problem
               from ${quoteIdentifier(table.staging)} r ${join})`,
    join ? [table.staging] : [],
  );
}

/** Marks the given rows of a typed table as rejected by `rule` (duplicate, orphan…). */
export async function markRejects(
  db: Database,
  typed: string,
  rule: string,
  rejects: readonly RowReject[],
): Promise<void> {
  if (rejects.length === 0) return;
  await db.run('create or replace temp table pending_rejects (line integer, reason varchar)');
  await insertRows(
    db,
    'pending_rejects',
    rejects.map((reject) => ({ line: reject.line, reason: reject.reason })),
  );
  await db.run(
    `update ${quoteIdentifier(typed)} t
        set _problem = p.reason, _rule = $1
       from pending_rejects p
      where t._line = p.line and t._problem is null`,
    [rule],
  );
}

import { type Database, integerLiteral, quoteQualified, SqlError } from '@mart/shared';
import type { LakeColumn, LakeTable } from './catalog-at-snapshot.ts';
import type { ColumnFilter, ConstantKind } from './query-needs.ts';

/** Which constants compare with a column of this DuckDB type in the column's own order. */
function familyOf(duckDbType: string): Exclude<ConstantKind, 'string'> | undefined {
  const type = duckDbType.toUpperCase();
  if (/^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL\(\d+,\d+\))$/.test(type)) return 'numeric';
  if (/^(DATE|TIMESTAMP|TIMESTAMP WITH TIME ZONE|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS)$/.test(type)) return 'temporal';
  if (type === 'VARCHAR') return 'text';
  if (type === 'BOOLEAN') return 'boolean';
  return undefined;
}

/** Whether some value in [lo, hi] may satisfy the filter (SQL over columns lo and hi). */
function mayMatch(filter: ColumnFilter): string {
  const [first = 'null', second = 'null'] = filter.values;
  switch (filter.op) {
    case '=':
      return `lo <= ${first} and hi >= ${first}`;
    case '<':
      return `lo < ${first}`;
    case '<=':
      return `lo <= ${first}`;
    case '>':
      return `hi > ${first}`;
    case '>=':
      return `hi >= ${first}`;
    case 'between':
      return `hi >= ${first} and lo <= ${second}`;
    case 'in':
      return filter.values.map((value) => `(lo <= ${value} and hi >= ${value})`).join(' or ');
  }
}

/**
 * The data files (of `fileIds`) whose per-file column statistics
 * (ducklake_file_column_stats: min_value, max_value as text) prove that no row can meet
 * one of the filters: a query with those filters needs nothing from them.
 *
 * The bounds are cast back to the column's type and compared with the query's constants
 * in DuckDB, by the same rules the query itself compares with (a string literal takes
 * the column's type; a number is compared as a number), so `'10' < '9'` never happens.
 * A filter is used only when comparing keeps the column's order: numbers with numbers,
 * dates and timestamps with dates and timestamps, text with text, and a string literal
 * with any of these. A file is kept whenever anything is unknown: no statistics row (a
 * column added after the file was written), NULL bounds, bounds that do not cast, a NaN
 * that may lie outside a float column's bounds (contains_nan not false), or a constant
 * that does not convert (then the query fails anyway).
 *
 * @example
 * await prunedFiles(db, '__lake', table, [1, 2, 3], [{ column: 'sale_date', op: '=', values: ["'2024-03-01'"], kind: 'string' }])
 * // → Set { 1, 3 }: their sale_date ranges do not include 2024-03-01
 */
export async function prunedFiles(
  db: Database,
  alias: string,
  table: LakeTable,
  fileIds: readonly number[],
  filters: readonly ColumnFilter[],
): Promise<Set<number>> {
  const pruned = new Set<number>();
  if (fileIds.length === 0) return pruned;
  const ids = fileIds.map((id) => integerLiteral(id)).join(', ');
  for (const filter of filters) {
    const column = table.columns.find((candidate) => candidate.name.toLowerCase() === filter.column.toLowerCase());
    if (!column || !usable(column, filter)) continue;
    const float = /^(FLOAT|DOUBLE)$/i.test(column.duckDbType);
    // The type comes from the catalog's type map and the values were rendered from the
    // parsed constants (quoted literals, checked numbers), never spliced from the query's text.
    const sql = `select data_file_id from (
        select data_file_id, contains_nan,
               try_cast(min_value as ${column.duckDbType}) as lo, try_cast(max_value as ${column.duckDbType}) as hi
          from ${quoteQualified(alias, 'ducklake_file_column_stats')}
         where table_id = $1 and column_id = $2 and data_file_id in (${ids}))
      where not coalesce(${mayMatch(filter)}, true)${float ? ' and contains_nan is not distinct from false' : ''}`;
    try {
      const rows = await db.all<{ data_file_id: number }>(sql, [table.id, column.id]);
      for (const row of rows) pruned.add(Number(row.data_file_id));
    } catch (error) {
      // A constant that does not convert to the column's type: no pruning by it.
      if (!(error instanceof SqlError)) throw error;
    }
  }
  return pruned;
}

function usable(column: LakeColumn, filter: ColumnFilter): boolean {
  const family = familyOf(column.duckDbType);
  if (family === undefined) return false;
  return filter.kind === 'string' || filter.kind === family;
}

import type { Database } from '@mart/shared';
import { quoteIdentifier, quoteLiteral } from '@mart/shared';
import type { ColumnStats, CurrentColumn } from '../../given/index.ts';

/** What the catalog records about a Parquet file, read from the file itself. */
export interface ParquetFileFacts {
  fileSizeBytes: number;
  footerSize: number;
  /** Rows in the file (the footer's num_rows). */
  rows: number;
  /** Compressed bytes per top-level column name. */
  columnSizes: Map<string, number>;
}

/**
 * Size, footer size, row count and per-column compressed sizes of a local Parquet file,
 * from DuckDB's parquet_file_metadata() and parquet_metadata(): the numbers a DuckLake
 * reader uses to plan its reads, so they must be the file's real ones.
 */
export async function parquetFileFacts(db: Database, localPath: string): Promise<ParquetFileFacts> {
  const path = quoteLiteral(localPath);
  // One row per column chunk name, each with the file's own numbers beside it.
  const sizes = await db.all<{
    file_size_bytes: number;
    footer_size: number;
    num_rows: number;
    name: string;
    bytes: number;
  }>(
    `select f.file_size_bytes::bigint as file_size_bytes, f.footer_size::bigint as footer_size,
            f.num_rows::bigint as num_rows, c.name, c.bytes
       from parquet_file_metadata(${path}) f
       left join (select path_in_schema as name, sum(total_compressed_size)::bigint as bytes
                    from parquet_metadata(${path}) group by path_in_schema) c on true`,
  );
  const file = sizes[0];
  return {
    fileSizeBytes: Number(file?.file_size_bytes ?? 0),
    footerSize: Number(file?.footer_size ?? 0),
    rows: Number(file?.num_rows ?? 0),
    columnSizes: new Map(sizes.filter((row) => row.name !== null).map((row) => [row.name, Number(row.bytes)])),
  };
}

/** Types whose footer min/max DuckDB's writer leaves out once a NaN is among the values. */
const floatTypes = new Set(['FLOAT', 'DOUBLE']);

/**
 * Types whose footer min/max parquet_metadata renders exactly as `min(col)::varchar`
 * does (checked by test/footer-stats.test.ts). Others — INTERVAL, whose footer bounds
 * DuckDB 1.5 decodes wrongly, UUID, BLOB, nested types… — are measured by a scan.
 */
function footerKnows(duckDbType: string): boolean {
  return /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT)|FLOAT|DOUBLE|DECIMAL\(\d+,\d+\)|VARCHAR|BOOLEAN|DATE|TIMESTAMP|TIMESTAMP WITH TIME ZONE)$/.test(
    duckDbType.toUpperCase(),
  );
}

/**
 * Per-column statistics of a Parquet file DuckDB just wrote, taken from its footer
 * (parquet_metadata: one row per row group and column) instead of a second pass over
 * the rows: null counts summed, min and max the smallest and largest of the row
 * groups' — compared as the column's type, then written as DuckDB casts that value to
 * VARCHAR, exactly what `min(col)::varchar` over the rows gives.
 *
 * The footer does not always know. DuckDB writes no min/max for a FLOAT/DOUBLE row
 * group holding a NaN, and only a prefix of a long string (min_is_exact false); for
 * some types its bounds do not read back as the scan's text (see footerKnows). Such a
 * column — and only such a column — is measured by reading it back from the file
 * (DuckDB reads just that column's chunks). Where the
 * footer has min and max for every row group with values, a float column holds no NaN.
 *
 * @example
 * const stats = await parquetColumnStats(db, '/tmp/x.parquet', table.columns, facts);
 */
export async function parquetColumnStats(
  db: Database,
  localPath: string,
  columns: readonly CurrentColumn[],
  facts: Pick<ParquetFileFacts, 'rows' | 'columnSizes'>,
): Promise<ColumnStats[]> {
  const path = quoteLiteral(localPath);
  const measures = columns.flatMap((column, i) => {
    const of = `filter (where path_in_schema = ${quoteLiteral(column.name)})`;
    // The type comes from the catalog's own type map, never from user input.
    const typed = (value: string) => `try_cast(${value} as ${column.duckDbType})`;
    return [
      `count(*) ${of} as chunks${i}`,
      `sum(stats_null_count) ${of} as nulls${i}`,
      // Usable when every row group's null count is known and every row group with a
      // value has exact bounds that read back as the column's type.
      `coalesce(bool_and(stats_null_count is not null and (stats_null_count = num_values or (
         stats_min_value is not null and stats_max_value is not null and min_is_exact and max_is_exact
         and ${typed('stats_min_value')} is not null and ${typed('stats_max_value')} is not null))) ${of}, false) as exact${i}`,
      `min(${typed('stats_min_value')}) ${of}::varchar as lo${i}`,
      `max(${typed('stats_max_value')}) ${of}::varchar as hi${i}`,
    ];
  });
  const [footer] = await db.all(`select ${measures.join(', ')} from parquet_metadata(${path})`);
  const stats = columns.map((column, i): ColumnStats | undefined => {
    const usable =
      footerKnows(column.duckDbType) && Number(footer?.[`chunks${i}`] ?? 0) > 0 && footer?.[`exact${i}`] === true;
    if (!usable) return undefined;
    const nulls = Number(footer?.[`nulls${i}`] ?? 0);
    return {
      columnId: column.columnId,
      sizeBytes: facts.columnSizes.get(column.name) ?? 0,
      valueCount: facts.rows,
      nullCount: nulls,
      min: (footer?.[`lo${i}`] as string | null) ?? null,
      max: (footer?.[`hi${i}`] as string | null) ?? null,
      // As `bool_or(isnan(col))`: unknown (NULL) when no row has a value.
      containsNan: floatTypes.has(column.duckDbType) && nulls < facts.rows ? false : null,
    };
  });
  const unknown = columns.filter((_, i) => stats[i] === undefined);
  if (unknown.length === 0) return stats as ColumnStats[];
  const scanned = await scanColumnStats(db, localPath, unknown, facts);
  return columns.map((column, i) => stats[i] ?? (scanned.get(column.columnId) as ColumnStats));
}

/** The fallback: the columns the footer could not describe, read back from the file in one pass. */
async function scanColumnStats(
  db: Database,
  localPath: string,
  columns: readonly CurrentColumn[],
  facts: Pick<ParquetFileFacts, 'rows' | 'columnSizes'>,
): Promise<Map<number, ColumnStats>> {
  const measures = columns.flatMap((column, i) => {
    const name = quoteIdentifier(column.name);
    return [
      `count(${name})::bigint as v${i}`,
      `min(${name})::varchar as lo${i}`,
      `max(${name})::varchar as hi${i}`,
      floatTypes.has(column.duckDbType) ? `bool_or(isnan(${name})) as nan${i}` : `null::boolean as nan${i}`,
    ];
  });
  const [row] = await db.all(
    `select ${measures.join(', ')} from read_parquet(${quoteLiteral(localPath)}, hive_partitioning = false)`,
  );
  return new Map(
    columns.map((column, i) => {
      const values = Number(row?.[`v${i}`] ?? 0);
      return [
        column.columnId,
        {
          columnId: column.columnId,
          sizeBytes: facts.columnSizes.get(column.name) ?? 0,
          valueCount: facts.rows,
          nullCount: facts.rows - values,
          min: (row?.[`lo${i}`] as string | null) ?? null,
          max: (row?.[`hi${i}`] as string | null) ?? null,
          containsNan: (row?.[`nan${i}`] as boolean | null) ?? null,
        },
      ];
    }),
  );
}

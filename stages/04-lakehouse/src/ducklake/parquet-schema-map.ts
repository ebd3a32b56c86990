import { quoteLiteral } from '@mart/shared';

/** A column as read_parquet should produce it from a data file. */
export interface MappedColumn {
  columnId: number;
  name: string;
  duckDbType: string;
  initialDefault: string | null;
}

/**
 * read_parquet's `schema` argument: a MAP from Parquet field id to the column's current
 * name, type and default. This is how DuckLake files stay readable as tables evolve: a
 * renamed column is found by its id, a column added later (absent from old files)
 * gets its initial_default, a dropped one is simply not asked for.
 *
 * @example
 * `read_parquet('f.parquet', schema = ${parquetSchemaMap(columns)})`
 */
export function parquetSchemaMap(columns: readonly MappedColumn[]): string {
  const entries = columns.map((column) => {
    // Every default is text: the map's values must all have one type; DuckDB casts it.
    const fallback = column.initialDefault === null ? 'null::varchar' : quoteLiteral(column.initialDefault);
    return `${column.columnId}: {name: ${quoteLiteral(column.name)}, type: ${quoteLiteral(column.duckDbType)}, default_value: ${fallback}}`;
  });
  return `map {${entries.join(', ')}}`;
}

import { CliError } from '@mart/shared';

// DuckLake spells types by width (spec "Data Types"); DuckDB by name. Nested types
// (struct, list, map) are built from child columns, see catalog-at-snapshot.
const duckDbTypes: Record<string, string> = {
  boolean: 'BOOLEAN',
  int8: 'TINYINT',
  int16: 'SMALLINT',
  int32: 'INTEGER',
  int64: 'BIGINT',
  int128: 'HUGEINT',
  uint8: 'UTINYINT',
  uint16: 'USMALLINT',
  uint32: 'UINTEGER',
  uint64: 'UBIGINT',
  uint128: 'UHUGEINT',
  float32: 'FLOAT',
  float64: 'DOUBLE',
  time: 'TIME',
  time_ns: 'TIME_NS',
  timetz: 'TIME WITH TIME ZONE',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  timestamp_us: 'TIMESTAMP',
  timestamp_ms: 'TIMESTAMP_MS',
  timestamp_ns: 'TIMESTAMP_NS',
  timestamp_s: 'TIMESTAMP_S',
  timestamptz: 'TIMESTAMP WITH TIME ZONE',
  interval: 'INTERVAL',
  varchar: 'VARCHAR',
  blob: 'BLOB',
  json: 'JSON',
  uuid: 'UUID',
};

/**
 * The DuckDB type of a primitive DuckLake column type (`ducklake_column.column_type`).
 *
 * @example
 * duckDbTypeOf('int32') // → 'INTEGER'
 * duckDbTypeOf('decimal(18,4)') // → 'DECIMAL(18,4)'
 * duckDbTypeOf('timestamptz') // → 'TIMESTAMP WITH TIME ZONE'
 */
export function duckDbTypeOf(lakeType: string): string {
  const type = lakeType.trim().toLowerCase();
  const named = duckDbTypes[type];
  if (named) return named;
  const decimal = /^decimal\((\d+),\s*(\d+)\)$/.exec(type);
  if (decimal) return `DECIMAL(${decimal[1]},${decimal[2]})`;
  throw new CliError(`The lake column type '${lakeType}' is not supported by this reader.`);
}

/**
 * True for the DuckLake types whose structure lives in child columns (`parent_column`).
 *
 * @example
 * isNestedLakeType('struct') // → true
 */
export function isNestedLakeType(lakeType: string): boolean {
  return ['struct', 'list', 'map'].includes(lakeType.trim().toLowerCase());
}

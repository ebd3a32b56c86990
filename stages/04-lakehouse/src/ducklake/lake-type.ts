/**
 * DuckDB type names → DuckLake's type names (the spec spells integers by width:
 * INTEGER is `int32`). DECIMAL(p,s), VARCHAR, DATE, TIMESTAMP… keep their names in
 * lower case.
 *
 * @example
 * lakeTypeOf('DECIMAL(10,2)') // → 'decimal(10,2)'
 */
export function lakeTypeOf(duckDbType: string): string {
  const type = duckDbType.trim().toUpperCase();
  const named: Record<string, string> = {
    BOOLEAN: 'boolean',
    TINYINT: 'int8',
    SMALLINT: 'int16',
    INTEGER: 'int32',
    BIGINT: 'int64',
    HUGEINT: 'int128',
    UTINYINT: 'uint8',
    USMALLINT: 'uint16',
    UINTEGER: 'uint32',
    UBIGINT: 'uint64',
    FLOAT: 'float32',
    DOUBLE: 'float64',
    VARCHAR: 'varchar',
    DATE: 'date',
    TIME: 'time',
    TIMESTAMP: 'timestamp',
    'TIMESTAMP WITH TIME ZONE': 'timestamptz',
    UUID: 'uuid',
    BLOB: 'blob',
    INTERVAL: 'interval',
  };
  const found = named[type];
  if (found) return found;
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(type);
  if (decimal) return `decimal(${decimal[1]},${decimal[2]})`;
  throw new Error(`Type ${duckDbType} is not supported in lake tables.`);
}

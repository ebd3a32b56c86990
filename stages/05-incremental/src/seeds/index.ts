// Seeds: CSV files loaded with the types dbt infers.
export { inferSeedColumns, type SeedColumn, type SeedKind, seedSqlType } from './infer-seed-types.ts';
export { readSeedFile, runSeed, type SeedFile } from './load-seed.ts';
export { type CsvRecord, type ParsedCsv, parseCsv } from './parse-csv.ts';

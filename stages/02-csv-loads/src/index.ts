// What later stages reuse from stage 2: the CSV loader and its pieces.
export { loadOptions, parseLoadOptions } from './commands/load-options.ts';
export { type CsvScan, scanCsv } from './csv/scan-csv.ts';
export { type CsvTable, csvTables } from './csv-tables.ts';
export { defaultMaxRejectRate, parseRate } from './load/check-reject-rates.ts';
export type { RejectedRow } from './load/collect-rejects.ts';
export { type CsvInput, type LoadResult, loadCsvWarehouse, readInputs } from './load/load-csv-warehouse.ts';
export { loadDateDimension, loadDimension, loadFacts } from './load/load-star-schema.ts';
export { type CsvLoadPieces, loadCsvPieces } from './pieces.ts';
export { reconciliationTable, rejectsSummary } from './render-load-result.ts';
export { stage } from './stage.ts';
export { writeRejectFiles } from './write-reject-files.ts';

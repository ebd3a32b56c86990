// Lineage: OpenLineage 2-0-2 run events for every run and asset step, validated against
// the vendored spec (spec/), written to data/lineage/ and POSTed to a Marquez-compatible
// endpoint.
export {
  type ColumnLineageOptions,
  type ColumnLineageResult,
  columnLineage,
  columnLineageFromTree,
  type TableName,
} from './column-lineage.ts';
export { ColumnLineageSession } from './column-lineage-session.ts';
export { csvHeader } from './csv-header.ts';
export {
  type DatasetRef,
  duckdbDataset,
  ducklakeDataset,
  fileDataset,
  type LineageDatasetOptions,
  lineageDataset,
  s3Dataset,
} from './datasets.ts';
export {
  type AssetStepLineage,
  LineageEmitter,
  type LineageEmitterOptions,
  type LineageReport,
  lineageDir,
  lineageProducer,
  stepRunId,
} from './emitter.ts';
export { appendLine, FileLineageSink } from './file-sink.ts';
export { type HttpFlushResult, HttpLineageSink, type HttpLineageSinkOptions, type UnsentEvent } from './http-sink.ts';
export { type SqlTable, sqlTableResolver } from './sql-tables.ts';
export {
  coreSchemaId,
  type FacetSchema,
  facetSchemas,
  type LineageValidation,
  validateLineageEvent,
} from './validator.ts';

// What later stages reuse from stage 1: the schema, its build and the analyses.
export type { Analysis, AnalysisParams } from './analyses/analysis.ts';
export { analyses, findAnalysis } from './analyses/index.ts';
export {
  buildStarSchema,
  countTables,
  createDimensionTables,
  createStarSchema,
  type StarSchemaInput,
  type TableCounts,
} from './build-star-schema.ts';
export { exploreCommand } from './commands/explore.ts';
export { exportCommand } from './commands/export.ts';
export { inspectCommand } from './commands/inspect.ts';
export { loadStarSchemaPieces, type StarSchemaPieces } from './pieces.ts';
export { seedInput } from './seed/index.ts';
export type { CustomerSeed, ProductSeed, SaleLineSeed, StoreSeed } from './seed/seed-types.ts';
export { stage } from './stage.ts';
export { type StarSchemaTable, starSchemaTables } from './star-schema-tables.ts';

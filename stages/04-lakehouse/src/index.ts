// What later stages reuse from stage 4: opening the lake, reading and writing its tables.
export { type IngestResult, ingestFiles } from './bronze/ingest-files.ts';
export { readBronze } from './bronze/read-bronze.ts';
export { describeSources, findIngestOf, type SourceFile } from './bronze/source-files.ts';
export { cachedLakeFiles } from './cached-lake-files.ts';
export { createLakeViews, type LakeViews } from './create-lake-views.ts';
export { catalogAlias, type LakeSession, openLakeSession } from './ducklake/lake-session.ts';
export { catalogAtSnapshot } from './ducklake/read/catalog-at-snapshot.ts';
export { analyzeQuery, type QueryNeeds } from './ducklake/read/query-needs.ts';
export { resolveSnapshot } from './ducklake/read/resolve-snapshot.ts';
export { buildTableQuery } from './ducklake/read/table-query.ts';
export { commitSnapshot } from './ducklake/write/commit-snapshot.ts';
export { InterruptedError, type InterruptTrap, trapInterrupts } from './interrupt.ts';
export { catalogPath, type Lake, type LakeContext, lakeQueryPlans, openLake } from './open-lake.ts';
export { type LakePieces, loadLakePieces } from './pieces.ts';
export { type LakeQuery, type LakeQueryResult, queryLake } from './query-lake.ts';
export { type QueryPlans, queryPlans } from './query-plans.ts';
export { stage } from './stage.ts';
export { writeThroughStore } from './write-through-store.ts';

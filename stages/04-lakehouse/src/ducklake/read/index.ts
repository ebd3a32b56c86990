// The DuckLake 1.0 reader: catalog structure at a snapshot, and SQL for a table's rows.

export { isUrl, joinLakePath, resolveLakePath } from '../../given/index.ts';
export {
  catalogAtSnapshot,
  type LakeCatalog,
  type LakeColumn,
  type LakeSchema,
  type LakeTable,
  requireTable,
} from './catalog-at-snapshot.ts';
export { duckDbTypeOf } from './duckdb-type.ts';
export { type InlinedDataTable, inlinedDataTables, inlinedDeleteTable } from './inlined-data.ts';
export { type LakeFiles, localLakeFiles } from './lake-files.ts';
export { type LakeMetadata, readLakeMetadata } from './lake-metadata.ts';
export { listSnapshots, parseChanges, type SnapshotChange, type SnapshotEntry } from './list-snapshots.ts';
export { resolveSnapshot, type SnapshotInfo, type SnapshotSelector } from './resolve-snapshot.ts';
export { buildTableQuery, type LakeTableQuery, type TableQueryOptions } from './table-query.ts';

// What later stages reuse from stage 4: opening the lake, reading and writing its tables.
export { createLakeViews } from './create-lake-views.ts';
export { catalogAlias, type LakeSession, openLakeSession } from './ducklake/lake-session.ts';
export { buildTableQuery } from './ducklake/read/table-query.ts';
export { commitSnapshot } from './ducklake/write/commit-snapshot.ts';
export { catalogPath, type Lake, openLake } from './open-lake.ts';
export { type LakePieces, loadLakePieces } from './pieces.ts';
export { stage } from './stage.ts';

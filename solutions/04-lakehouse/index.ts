// Stage 4's exercise pieces. The lake code imports this module from @mart/solutions
// (reference) or @mart/exercises (--mine); the two trees mirror each other.
export { addColumn } from './add-column.ts';
export { bronzeKey } from './bronze-key.ts';
export { catalogTable, integerLiteral } from './catalog-sql.ts';
export { isUrl, joinLakePath, resolveLakePath } from './lake-path.ts';
export { registerDataFile } from './register-data-file.ts';
export type * from './types.ts';
export { listKeys, uploadFile } from './upload-and-list.ts';
export { visibleDataFiles } from './visible-files.ts';

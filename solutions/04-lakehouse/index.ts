// Stage 4's exercise pieces (see LakePieces in stages/04-lakehouse/src/given/).
// The stage loads this file from solutions/ (the reference) or exercises/ (--mine).
export { addColumn } from './add-column.ts';
export { bronzeKey } from './bronze-key.ts';
export { registerDataFile } from './register-data-file.ts';
export { listKeys, uploadFile } from './upload-and-list.ts';
export { visibleDataFiles } from './visible-files.ts';

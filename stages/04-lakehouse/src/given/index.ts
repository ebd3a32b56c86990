// Given code of stage 4: shapes the exercise pieces share with the lake code, the
// contract they fulfil, and DuckLake's path rules. exercises/ and solutions/ import it;
// it is never copied.
export { isUrl, joinLakePath, resolveLakePath } from './lake-path.ts';
export type { LakePieces } from './pieces.ts';
export type * from './types.ts';

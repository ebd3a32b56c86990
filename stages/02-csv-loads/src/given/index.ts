// Given code of stage 2: the shapes the exercise pieces share with the loader and the
// contract they fulfil. exercises/ and solutions/ import it; it is never copied.
export type { CsvLoadPieces } from './pieces.ts';
export type * from './types.ts';

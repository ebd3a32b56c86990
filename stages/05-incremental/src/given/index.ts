// Given code of stage 5: the shapes the exercise pieces share with the runner, the
// contract they fulfil, and small SQL helpers. exercises/ and solutions/ import it
// (`@mart/stage-05-incremental/given`); it is never copied.
export { DagCycleError } from './dag-cycle-error.ts';
export type { IncrementalPieces } from './pieces.ts';
export { scdIdSql, snapshotMetaColumns, timestampLiteral } from './snapshot-sql.ts';
export type * from './types.ts';

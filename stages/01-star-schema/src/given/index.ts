// Given code of stage 1: the shapes the exercise pieces return and the contract they
// fulfil. Both exercises/ and solutions/ import this (`@mart/stage-01-star-schema/given`);
// it is never copied, so what the pipeline runs is what the exercises are written against.
export type { StarSchemaPieces } from './pieces.ts';
export type * from './types.ts';

import * as reference from '@mart/solutions/01-star-schema';

/** The teachable pieces stage 1's pipeline is built from (see exercises/01-star-schema). */
export type StarSchemaPieces = typeof reference;

/**
 * The reference pieces, or with `--mine` the learner's own from exercises/. Both trees
 * export the same functions, so the pipeline cannot tell them apart: that is the point.
 */
export async function loadPieces(mine: boolean): Promise<StarSchemaPieces> {
  return mine ? await import('@mart/exercises/01-star-schema') : reference;
}

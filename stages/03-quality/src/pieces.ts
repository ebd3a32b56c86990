import * as reference from '@mart/solutions/03-quality';

/** The teachable pieces stage 3's checks are built from (see exercises/03-quality). */
export type QualityPieces = typeof reference;

/** The reference pieces, or with `--mine` the learner's own from exercises/. */
export async function loadQualityPieces(mine: boolean): Promise<QualityPieces> {
  return mine ? await import('@mart/exercises/03-quality') : reference;
}

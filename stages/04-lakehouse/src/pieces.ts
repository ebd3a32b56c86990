import * as reference from '@mart/solutions/04-lakehouse';

/** The teachable pieces stage 4's lake is built from (see exercises/04-lakehouse). */
export type LakePieces = typeof reference;

/** The reference pieces, or with `--mine` the learner's own from exercises/. */
export async function loadLakePieces(mine: boolean): Promise<LakePieces> {
  return mine ? await import('@mart/exercises/04-lakehouse') : reference;
}

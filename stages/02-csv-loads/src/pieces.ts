import * as reference from '@mart/solutions/02-csv-loads';

/** The teachable pieces stage 2's loader is built from (see exercises/02-csv-loads). */
export type CsvLoadPieces = typeof reference;

/** The reference pieces, or with `--mine` the learner's own from exercises/. */
export async function loadCsvPieces(mine: boolean): Promise<CsvLoadPieces> {
  return mine ? await import('@mart/exercises/02-csv-loads') : reference;
}

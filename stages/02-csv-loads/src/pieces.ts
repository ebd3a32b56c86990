import { loadPieces, type MartPaths, type MineScope } from '@mart/shared';
import type { CsvLoadPieces } from './given/pieces.ts';

export type { CsvLoadPieces } from './given/pieces.ts';

/**
 * The pieces stage 2's loader is built from: the reference ones from solutions/02-csv-loads/,
 * or with `--mine` the learner's own from exercises/02-csv-loads/. Both export the
 * same functions (CsvLoadPieces), so the pipeline cannot tell them apart: that is the point.
 *
 * @example
 * const pieces = await loadCsvPieces(mine, paths);
 */
export function loadCsvPieces(mine: MineScope, paths: MartPaths): Promise<CsvLoadPieces> {
  return loadPieces<CsvLoadPieces>({ stage: 2, dir: '02-csv-loads', mine, paths });
}

import { loadPieces, type MartPaths, type MineScope } from '@mart/shared';
import type { QualityPieces } from './given/pieces.ts';

export type { QualityPieces } from './given/pieces.ts';

/**
 * The pieces stage 3's checks is built from: the reference ones from solutions/03-quality/,
 * or with `--mine` the learner's own from exercises/03-quality/. Both export the
 * same functions (QualityPieces), so the pipeline cannot tell them apart: that is the point.
 *
 * @example
 * const pieces = await loadQualityPieces(mine, paths);
 */
export function loadQualityPieces(mine: MineScope, paths: MartPaths): Promise<QualityPieces> {
  return loadPieces<QualityPieces>({ stage: 3, dir: '03-quality', mine, paths });
}

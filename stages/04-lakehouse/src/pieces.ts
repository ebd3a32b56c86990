import { loadPieces, type MartPaths, type MineScope } from '@mart/shared';
import type { LakePieces } from './given/pieces.ts';

export type { LakePieces } from './given/pieces.ts';

/**
 * The pieces stage 4's lake is built from: the reference ones from solutions/04-lakehouse/,
 * or with `--mine` the learner's own from exercises/04-lakehouse/. Both export the
 * same functions (LakePieces), so the pipeline cannot tell them apart: that is the point.
 *
 * @example
 * const pieces = await loadLakePieces(mine, paths);
 */
export function loadLakePieces(mine: MineScope, paths: MartPaths): Promise<LakePieces> {
  return loadPieces<LakePieces>({ stage: 4, dir: '04-lakehouse', mine, paths });
}

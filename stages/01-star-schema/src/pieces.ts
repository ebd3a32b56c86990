import { loadPieces, type MartPaths, type MineScope } from '@mart/shared';
import type { StarSchemaPieces } from './given/pieces.ts';

export type { StarSchemaPieces } from './given/pieces.ts';

/**
 * The pieces stage 1's pipeline (build, explore) is built from: the reference ones from solutions/01-star-schema/,
 * or with `--mine` the learner's own from exercises/01-star-schema/. Both export the
 * same functions (StarSchemaPieces), so the pipeline cannot tell them apart: that is the point.
 *
 * @example
 * const pieces = await loadStarSchemaPieces(mine, paths);
 */
export function loadStarSchemaPieces(mine: MineScope, paths: MartPaths): Promise<StarSchemaPieces> {
  return loadPieces<StarSchemaPieces>({ stage: 1, dir: '01-star-schema', mine, paths });
}

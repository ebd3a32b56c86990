import { loadPieces, type MartPaths, type MineScope } from '@mart/shared';
import type { IncrementalPieces } from './given/pieces.ts';

export type { IncrementalPieces } from './given/pieces.ts';

/**
 * The pieces stage 5's runner is built from: the reference ones from
 * solutions/05-incremental/, or with `--mine` the learner's own from
 * exercises/05-incremental/. Both export the same functions (IncrementalPieces).
 *
 * @example
 * const pieces = await loadIncrementalPieces(mine, paths);
 */
export function loadIncrementalPieces(mine: MineScope, paths: MartPaths): Promise<IncrementalPieces> {
  return loadPieces<IncrementalPieces>({ stage: 5, dir: '05-incremental', mine, paths });
}

import { loadPieces, type MartPaths, type MineScope } from '@mart/shared';
import type { OrchestrationPieces } from './given/pieces.ts';

export type { OrchestrationPieces } from './given/pieces.ts';

/**
 * The pieces stage 6's orchestrator is built from: the reference ones from
 * solutions/06-orchestration/, or with `--mine` the learner's own from
 * exercises/06-orchestration/. Both export the same functions (OrchestrationPieces).
 *
 * @example
 * const pieces = await loadOrchestrationPieces(mine, paths);
 * pieces.selectAssets(graph.nodes(), parseSelection('+key:dbt/fct_sales'));
 */
export function loadOrchestrationPieces(mine: MineScope, paths: MartPaths): Promise<OrchestrationPieces> {
  return loadPieces<OrchestrationPieces>({ stage: 6, dir: '06-orchestration', mine, paths });
}

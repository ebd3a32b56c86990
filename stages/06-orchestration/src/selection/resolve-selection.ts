import type { OrchestrationPieces } from '../given/pieces.ts';
import type { AssetNode } from '../given/types.ts';
import { parseSelection } from './parse-selection.ts';

/** Options for {@link resolveSelection}. */
export interface ResolveSelectionOptions {
  /** The selection as typed (`--select`), `*` when none was given. */
  text: string;
  /** The graph's nodes (`graph.nodes()`). */
  assets: readonly AssetNode[];
  /** Whose select-assets piece evaluates it (loadOrchestrationPieces). */
  pieces: Pick<OrchestrationPieces, 'selectAssets'>;
}

/**
 * `--select` end to end: parse the text (a syntax error or an unknown name is a
 * SelectionError pointing at the column), then let the select-assets piece pick the keys.
 *
 * @example
 * resolveSelection({ text: '+key:dbt/fct_sales', assets: graph.nodes(), pieces }) // → ['dbt/fct_sales', …]
 */
export function resolveSelection(options: ResolveSelectionOptions): string[] {
  const selection = parseSelection(options.text, { assets: options.assets });
  return options.pieces.selectAssets(options.assets, selection);
}

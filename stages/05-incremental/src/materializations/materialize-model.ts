import type { NodeContext, NodeOutcome } from '../run/node-context.ts';
import { NodeError } from '../run/node-error.ts';
import { materializeIncremental } from './incremental.ts';
import { materializeTable } from './table.ts';
import { materializeView } from './view.ts';

/** The materializations this runner builds; `ephemeral` models are never executed (inlined as CTEs). */
export const materializations = ['view', 'table', 'incremental', 'ephemeral'] as const;

/**
 * Builds one model with its `materialized` config. Ephemeral models never get here: the
 * compiler inlines them into the models that ref them.
 */
export function materializeModel(ctx: NodeContext): Promise<NodeOutcome> {
  const materialized = ctx.node.config.materialized;
  if (materialized === 'view') return materializeView(ctx);
  if (materialized === 'table') return materializeTable(ctx);
  if (materialized === 'incremental') return materializeIncremental(ctx);
  throw new NodeError('Compilation', `Materialization '${materialized}' is not supported by this runner.`, {
    hint: 'Use view, table, incremental or ephemeral.',
  });
}

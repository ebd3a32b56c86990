import { NotImplementedError } from '@mart/shared';
import { DagCycleError, type GraphNode } from '@mart/stage-05-incremental/given';

/**
 * Exercise: The DAG and its order.
 *
 * A dbt project is a graph: every `ref('x')` in a model is an edge from x to that
 * model. Before anything runs, the runner needs an order in which every node comes after
 * all the nodes it depends on (a topological order), and it must refuse a project whose
 * refs go round in a circle, because no order can build it.
 *
 * Return the ids of `nodes` in such an order. Among nodes that are ready at the same
 * time, take the smallest id first (plain string comparison), so the order is the same
 * on every run and every machine. A dependency that is not in `nodes` (a source, a
 * disabled model) is ignored. When some nodes can never become ready, they sit on a
 * cycle: throw `new DagCycleError(cycle)` with the ids of one cycle, each depending on the
 * next, the first repeated at the end: `['model.p.a', 'model.p.b', 'model.p.a']` when a
 * refs b and b refs a (any node of the cycle may come first).
 *
 * This is plain TypeScript, no database. The runner calls it to validate the project,
 * to order `run` / `build`, and to schedule threads.
 *
 * @example
 * dagOrder([
 *   { id: 'model.p.orders', dependsOn: ['model.p.stg_orders'] },
 *   { id: 'model.p.stg_orders', dependsOn: ['source.p.raw.orders'] },
 * ]) // → ['model.p.stg_orders', 'model.p.orders']
 */
export function dagOrder(nodes: readonly GraphNode[]): string[] {
  throw new NotImplementedError('05-incremental/dag-order');
}

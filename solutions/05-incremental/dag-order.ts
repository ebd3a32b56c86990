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
  // #region solution
  const ids = new Set(nodes.map((node) => node.id));
  const waitingFor = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const node of nodes) {
    const deps = [...new Set(node.dependsOn.filter((dep) => ids.has(dep)))];
    waitingFor.set(node.id, deps.length);
    for (const dep of deps) dependents.set(dep, [...(dependents.get(dep) ?? []), node.id]);
  }
  // Kahn's algorithm; the ready list stays sorted so the smallest ready id goes first.
  const ready = [...waitingFor].filter(([, count]) => count === 0).map(([id]) => id);
  ready.sort();
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift() as string;
    order.push(id);
    for (const dependent of dependents.get(id) ?? []) {
      const left = (waitingFor.get(dependent) ?? 0) - 1;
      waitingFor.set(dependent, left);
      if (left === 0) {
        ready.push(dependent);
        ready.sort();
      }
    }
  }
  if (order.length === nodes.length) return order;
  throw new DagCycleError(findCycle(nodes, new Set(order)));
  // #endregion
}

// #region solution-only
/** Walks dependencies from a node that never became ready until one repeats: that loop is a cycle. */
function findCycle(nodes: readonly GraphNode[], done: Set<string>): string[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const stuck = nodes.filter((node) => !done.has(node.id)).map((node) => node.id);
  stuck.sort();
  const path: string[] = [];
  let current = stuck[0] as string;
  while (!path.includes(current)) {
    path.push(current);
    // A stuck node always waits for at least one other stuck node.
    const next = (byId.get(current)?.dependsOn ?? []).filter((dep) => byId.has(dep) && !done.has(dep)).sort()[0];
    current = next as string;
  }
  // `path` ends in the loop, each node followed by one it depends on.
  const loop = path.slice(path.indexOf(current));
  return [...loop, loop[0] as string];
}
// #endregion

import { CliError } from '@mart/shared';
import type { IncrementalPieces } from '../given/pieces.ts';
import type { Manifest, ManifestNode } from '../manifest/types.ts';

/** The commands that execute nodes, and what each runs (`build` runs all four). */
export type ExecuteCommand = 'run' | 'seed' | 'snapshot' | 'test' | 'build';

const commandTypes: Record<ExecuteCommand, ReadonlySet<string>> = {
  run: new Set(['model']),
  seed: new Set(['seed']),
  snapshot: new Set(['snapshot']),
  test: new Set(['test']),
  build: new Set(['model', 'seed', 'snapshot', 'test']),
};

/**
 * The selected nodes this command executes: of its resource types, enabled, and not
 * ephemeral (an ephemeral model is compiled into the models that ref it, never run).
 */
export function runnableNodes(
  manifest: Manifest,
  selected: readonly string[],
  command: ExecuteCommand,
): ManifestNode[] {
  const types = commandTypes[command];
  const nodes: ManifestNode[] = [];
  for (const id of new Set(selected)) {
    const node = manifest.nodes.get(id);
    if (!node || !types.has(node.resourceType) || node.config.enabled === false) continue;
    if (node.resourceType === 'model' && node.config.materialized === 'ephemeral') continue;
    nodes.push(node);
  }
  return nodes;
}

/**
 * What each runnable node waits for: its nearest runnable ancestors, the path through
 * nodes that are not run (unselected, ephemeral) kept, as dbt's subgraph keeps
 * transitive edges. With `testEdges` (build), a node also waits for every test whose
 * nodes are all among its ancestors: a failing test then skips what is built from the
 * node it tests (dbt's `add_test_edges`).
 */
export function executionDependencies(
  manifest: Manifest,
  runnable: readonly ManifestNode[],
  options: { testEdges: boolean },
): Map<string, string[]> {
  const ids = new Set(runnable.map((node) => node.uniqueId));
  const parents = (id: string) => (manifest.nodes.get(id)?.dependsOn.nodes ?? []).filter((p) => manifest.nodes.has(p));

  const nearest = new Map<string, Set<string>>();
  const nearestRunnable = (id: string, seen: Set<string>): Set<string> => {
    const known = nearest.get(id);
    if (known) return known;
    const found = new Set<string>();
    if (seen.has(id)) return found; // a cycle through unselected nodes: dagOrder reports cycles among the rest
    seen.add(id);
    for (const parent of parents(id)) {
      if (ids.has(parent)) found.add(parent);
      else for (const above of nearestRunnable(parent, seen)) found.add(above);
    }
    nearest.set(id, found);
    return found;
  };

  const ancestorsMemo = new Map<string, Set<string>>();
  const ancestors = (id: string, seen = new Set<string>()): Set<string> => {
    const known = ancestorsMemo.get(id);
    if (known) return known;
    const found = new Set<string>();
    if (seen.has(id)) return found;
    seen.add(id);
    for (const parent of parents(id)) {
      found.add(parent);
      for (const above of ancestors(parent, seen)) found.add(above);
    }
    ancestorsMemo.set(id, found);
    return found;
  };

  const tests = options.testEdges ? runnable.filter((node) => node.resourceType === 'test') : [];
  const dependencies = new Map<string, string[]>();
  for (const node of runnable) {
    const waits = new Set<string>();
    for (const parent of parents(node.uniqueId)) {
      if (ids.has(parent)) waits.add(parent);
      else for (const above of nearestRunnable(parent, new Set())) waits.add(above);
    }
    if (node.resourceType !== 'test' && tests.length > 0) {
      const above = ancestors(node.uniqueId);
      for (const test of tests) {
        const tested = parents(test.uniqueId);
        if (tested.length > 0 && tested.every((id) => above.has(id))) waits.add(test.uniqueId);
      }
    }
    waits.delete(node.uniqueId);
    dependencies.set(node.uniqueId, [...waits].sort());
  }
  return dependencies;
}

/**
 * The run's order from the dagOrder piece, checked: every node exactly once, each after
 * what it waits for. (A learner's piece that gets it wrong is told so, instead of
 * models failing on tables that do not exist yet.) A cycle is the piece's DagCycleError.
 */
export function orderedNodes(pieces: IncrementalPieces, dependencies: Map<string, string[]>): string[] {
  const order = pieces.dagOrder([...dependencies].map(([id, dependsOn]) => ({ id, dependsOn })));
  const hint =
    'The runner orders the DAG with the dagOrder piece (exercises/05-incremental/dag-order.ts under --mine).';
  if (!Array.isArray(order)) throw new CliError(`dagOrder returned ${typeof order}, not a list of node ids.`, { hint });
  const position = new Map<string, number>();
  order.forEach((id, i) => {
    if (!dependencies.has(id))
      throw new CliError(`dagOrder returned ${JSON.stringify(id)}, which is not one of the nodes it was given.`, {
        hint,
      });
    if (position.has(id)) throw new CliError(`dagOrder returned ${id} twice.`, { hint });
    position.set(id, i);
  });
  for (const [id, waits] of dependencies) {
    const at = position.get(id);
    if (at === undefined) throw new CliError(`dagOrder left out ${id}.`, { hint });
    for (const dep of waits) {
      if ((position.get(dep) ?? -1) > at) {
        throw new CliError(`dagOrder put ${id} before ${dep}, which it depends on.`, { hint });
      }
    }
  }
  return order;
}

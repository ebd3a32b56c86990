import { CliError } from '@mart/shared';
import type { AssetGraph } from '../assets/asset-graph.ts';
import type { AssetDefinition, RetryPolicy } from '../assets/define-asset.ts';
import type { AssetKey } from '../given/types.ts';
import { type MultiAsset, multiAssetOf } from './multi-asset.ts';

/** One step of a run: one asset, or the selected assets of a multi-asset, built by one execution. */
export interface PlannedStep {
  /** The asset's key, or the multi-asset's name (`lake_build`). */
  key: string;
  /** What it materializes: upstream ones first, then by key. */
  assets: AssetDefinition[];
  /** The steps of this run it waits for. */
  deps: string[];
  /** The multi-asset it runs, if it is one. */
  multi: MultiAsset | undefined;
  /** Its retry policy: the first of its assets' that has one. */
  retry: RetryPolicy | undefined;
}

/** What a run will do. */
export interface RunPlan {
  /** The steps, each after the steps it waits for (ties: smallest key first). */
  steps: PlannedStep[];
  /** Every asset the steps materialize, in step order. */
  assetKeys: AssetKey[];
  /** Selected assets that are external (no materialize): observed, never built by a run. */
  external: AssetKey[];
  /** The step each planned asset belongs to. */
  stepOf: ReadonlyMap<AssetKey, string>;
}

/** Options for {@link planRun}. */
export interface PlanRunOptions {
  /**
   * More assets an asset must wait for when they are in the same run, besides its deps:
   * ordering, not data (stage 5's models read the lake through ONE mount, so they wait
   * for every lake step of the run).
   */
  orderAfter?: (asset: AssetDefinition) => readonly AssetKey[];
}

/**
 * Turns a selection into the steps of a run. Only materializable assets are steps; the
 * selected assets of one multi-asset become one step. A step waits for the nearest
 * selected assets upstream of its assets, seen through assets that are not in the run
 * (so with `a → b → c` and only a and c selected, c still runs after a, as dbt does for
 * a subgraph). Assets outside the selection are taken as they are.
 *
 * @example
 * planRun(graph, ['lake/silver/dim_store', 'lake/gold/store_performance', 'dbt/stg_stores']).steps.map((s) => s.key)
 * // → ['lake_build', 'dbt/stg_stores']
 */
export function planRun(graph: AssetGraph, keys: readonly AssetKey[], options: PlanRunOptions = {}): RunPlan {
  const selected = [...new Set(keys)].sort().map((key) => graph.get(key));
  const planned = selected.filter((asset) => asset.materialize !== undefined);
  const external = selected.filter((asset) => asset.materialize === undefined).map((asset) => asset.key);
  const inPlan = new Set(planned.map((asset) => asset.key));

  const stepOf = new Map<AssetKey, string>();
  const steps = new Map<string, PlannedStep>();
  for (const asset of planned) {
    const multi = multiAssetOf(asset.materialize);
    const key = multi?.name ?? asset.key;
    if (multi && graph.has(key)) {
      throw new CliError(`The multi-asset step "${key}" has the name of an asset.`, {
        hint: 'Give the multi-asset a name that is not an asset key.',
      });
    }
    stepOf.set(asset.key, key);
    const step = steps.get(key) ?? { key, assets: [], deps: [], multi, retry: undefined };
    step.assets.push(asset);
    step.retry ??= asset.retry;
    steps.set(key, step);
  }

  // Within a multi-asset step, upstream assets first (silver before gold): their
  // materializations are recorded in this order, so none looks older than its inputs.
  const depth = new Map<AssetKey, number>();
  const depthOf = (key: AssetKey): number => {
    const known = depth.get(key);
    if (known !== undefined) return known;
    depth.set(key, 0);
    const value = 1 + Math.max(-1, ...graph.parents(key).map(depthOf));
    depth.set(key, value);
    return value;
  };
  for (const step of steps.values()) {
    step.assets.sort((a, b) => depthOf(a.key) - depthOf(b.key) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  // The nearest planned assets upstream of each asset, through those not in the run.
  const nearest = new Map<AssetKey, Set<AssetKey>>();
  const upstream = (key: AssetKey): Set<AssetKey> => {
    const known = nearest.get(key);
    if (known) return known;
    const found = new Set<AssetKey>();
    nearest.set(key, found);
    for (const parent of graph.parents(key)) {
      if (inPlan.has(parent)) found.add(parent);
      else for (const above of upstream(parent)) found.add(above);
    }
    return found;
  };
  for (const step of steps.values()) {
    const deps = new Set<string>();
    for (const asset of step.assets) {
      const waits = [...upstream(asset.key), ...(options.orderAfter?.(asset) ?? []).filter((key) => inPlan.has(key))];
      for (const key of waits) deps.add(stepOf.get(key) as string);
    }
    deps.delete(step.key);
    step.deps = [...deps].sort();
  }

  const order = topologicalOrder([...steps.values()]);
  return {
    steps: order,
    assetKeys: order.flatMap((step) => step.assets.map((asset) => asset.key)),
    external,
    stepOf,
  };
}

/** Kahn's algorithm, smallest key first among the ready; a cycle (two multi-asset steps feeding each other) is an error. */
function topologicalOrder(steps: PlannedStep[]): PlannedStep[] {
  const byKey = new Map(steps.map((step) => [step.key, step]));
  const waiting = new Map(steps.map((step) => [step.key, step.deps.length]));
  const dependents = new Map<string, string[]>();
  for (const step of steps)
    for (const dep of step.deps) dependents.set(dep, [...(dependents.get(dep) ?? []), step.key]);
  const ready = steps.filter((step) => step.deps.length === 0).map((step) => step.key);
  ready.sort();
  const order: PlannedStep[] = [];
  while (ready.length > 0) {
    const key = ready.shift() as string;
    order.push(byKey.get(key) as PlannedStep);
    for (const dependent of dependents.get(key) ?? []) {
      const left = (waiting.get(dependent) ?? 0) - 1;
      waiting.set(dependent, left);
      if (left === 0) {
        ready.push(dependent);
        ready.sort();
      }
    }
  }
  if (order.length !== steps.length) {
    const stuck = steps.filter((step) => !order.includes(step)).map((step) => step.key);
    throw new CliError(`These steps wait for each other in a circle: ${stuck.join(', ')}.`, {
      hint: 'An asset between two assets of one multi-asset makes the multi-asset wait for itself: select fewer assets, or split the multi-asset.',
    });
  }
  return order;
}

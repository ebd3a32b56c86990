import type { MaterializeContext, MaterializeFn, MaterializeResult } from '../assets/define-asset.ts';
import type { AssetKey } from '../given/types.ts';

/** What a multi-asset's function is given: a materialize context for all its selected assets at once. */
export interface MultiAssetContext extends Omit<MaterializeContext, 'assetKey'> {
  /** The assets of this multi-asset the run selected (Dagster's selected_asset_keys). */
  assetKeys: readonly AssetKey[];
}

/** Options for {@link multiAsset}. */
export interface MultiAssetOptions {
  /** The step's name in runs and progress lines, e.g. `lake_build`: letters, digits and `_`. */
  name: string;
  /** One line saying what the step does. */
  description: string;
  /**
   * Builds every asset of the step in one go, and reports each selected asset's result.
   * A selected asset without a result is recorded with none (no rows, no metadata).
   */
  materialize(context: MultiAssetContext): Promise<Record<AssetKey, MaterializeResult>>;
}

/** A multi-asset: several assets one execution builds together. */
export interface MultiAsset extends MultiAssetOptions {
  /** The MaterializeFn of one of its assets (for defineAsset): calling it alone builds the step for that asset. */
  materializeFor(key: AssetKey): MaterializeFn;
}

const registry = new WeakMap<MaterializeFn, MultiAsset>();

/**
 * Several assets built by ONE execution (Dagster's `@multi_asset`): stage 4's build
 * writes every silver and gold table in one lake snapshot, so the executor runs it once
 * for all of them. Each asset still gets its own definition (its deps, its checks) with
 * `materialize: step.materializeFor(key)`; the executor sees that those functions belong
 * to the same step and runs the step once, with the selected assets' keys.
 *
 * @example
 * const build = multiAsset({ name: 'lake_build', description: 'stage 4 build', materialize: async ({ assetKeys }) =>
 *   Object.fromEntries(assetKeys.map((key) => [key, { rows: 1 }])) });
 * defineAsset({ key: 'lake/silver/dim_store', materialize: build.materializeFor('lake/silver/dim_store') });
 */
export function multiAsset(options: MultiAssetOptions): MultiAsset {
  if (!/^[A-Za-z0-9_]+$/.test(options.name)) {
    throw new Error(`multiAsset: "${options.name}" is not a step name (letters, digits and _).`);
  }
  const step: MultiAsset = {
    ...options,
    materializeFor(key) {
      const fn: MaterializeFn = async (context) => {
        const { assetKey: _, ...rest } = context;
        const results = await options.materialize({ ...rest, assetKeys: [key] });
        return results[key] ?? {};
      };
      registry.set(fn, step);
      return fn;
    },
  };
  return step;
}

/** The multi-asset a materialize function belongs to, if it came from {@link MultiAsset.materializeFor}. */
export function multiAssetOf(fn: MaterializeFn | undefined): MultiAsset | undefined {
  return fn ? registry.get(fn) : undefined;
}

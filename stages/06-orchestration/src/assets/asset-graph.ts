import { closest, distance } from 'fastest-levenshtein';
import type { AssetKey, AssetNode } from '../given/types.ts';
import { AssetDefinitionError } from './asset-definition-error.ts';
import type { AssetDefinition } from './define-asset.ts';

/**
 * The assets and their dependencies, checked: keys are unique, every dependency is an
 * asset of the graph (or the error names it and the closest key), and there is no cycle
 * (or the error names one). Read-only after construction.
 *
 * @example
 * const graph = new AssetGraph([rawSales, stgSales, fctSales]);
 * graph.parents('dbt/fct_sales') // → ['dbt/stg_sales']
 * graph.ancestors('dbt/fct_sales') // → ['dbt/stg_sales', 'raw/sales']
 */
export class AssetGraph<A extends AssetNode = AssetDefinition> {
  readonly #assets = new Map<AssetKey, A>();
  readonly #parents = new Map<AssetKey, AssetKey[]>();
  readonly #children = new Map<AssetKey, AssetKey[]>();

  constructor(assets: readonly A[]) {
    for (const asset of assets) {
      if (this.#assets.has(asset.key)) {
        throw new AssetDefinitionError(`Two assets have the key "${asset.key}".`, {
          hint: 'Every asset needs its own key: rename one, or load each source of assets once.',
        });
      }
      this.#assets.set(asset.key, asset);
      this.#children.set(asset.key, []);
    }
    const keys = [...this.#assets.keys()];
    for (const asset of assets) {
      const missing = asset.deps.filter((dep) => !this.#assets.has(dep));
      if (missing.length > 0) {
        const named = missing.map((dep) => `"${dep}"`).join(', ');
        const suggestions = missing.flatMap((dep) => closeKey(dep, keys).map((close) => `"${close}" for "${dep}"`));
        throw new AssetDefinitionError(
          `Asset "${asset.key}" depends on ${named}, which ${missing.length === 1 ? 'is not an asset' : 'are not assets'} of the graph.`,
          {
            hint:
              suggestions.length > 0
                ? `Did you mean ${suggestions.join(', ')}?`
                : 'Define it, or remove the dependency.',
          },
        );
      }
      const parents = [...new Set(asset.deps)].sort();
      this.#parents.set(asset.key, parents);
      for (const parent of parents) this.#children.get(parent)?.push(asset.key);
    }
    for (const children of this.#children.values()) children.sort();
    const cycle = this.#findCycle();
    if (cycle) {
      throw new AssetDefinitionError(`The assets depend on each other in a circle: ${cycle.join(' → ')}.`, {
        hint: 'An asset cannot be built from an asset built (directly or through others) from it. Remove one of these dependencies.',
      });
    }
  }

  /** Every key, sorted. */
  keys(): AssetKey[] {
    return [...this.#assets.keys()].sort();
  }

  /** Every asset, in key order. */
  assets(): A[] {
    return this.keys().map((key) => this.get(key));
  }

  /** The assets as plain nodes (key, deps, group, kinds, tags, owners): what selection works on. */
  nodes(): AssetNode[] {
    return this.assets().map(({ key, deps, group, kinds, tags, owners }) => ({
      key,
      deps,
      group,
      kinds,
      tags,
      owners,
    }));
  }

  has(key: AssetKey): boolean {
    return this.#assets.has(key);
  }

  /** The asset with this key; an unknown key is an error suggesting the closest one. */
  get(key: AssetKey): A {
    const asset = this.#assets.get(key);
    if (asset) return asset;
    const close = closeKey(key, [...this.#assets.keys()]);
    throw new AssetDefinitionError(`No asset has the key "${key}".`, {
      hint: close.length > 0 ? `Did you mean "${close[0]}"?` : '`pnpm stage 6 assets` lists the assets.',
    });
  }

  /** The assets `key` is built from, sorted. */
  parents(key: AssetKey): AssetKey[] {
    this.get(key);
    return [...(this.#parents.get(key) ?? [])];
  }

  /** The assets built from `key`, sorted. */
  children(key: AssetKey): AssetKey[] {
    this.get(key);
    return [...(this.#children.get(key) ?? [])];
  }

  /** Everything upstream of `key` (up to `depth` levels, default all), sorted, `key` excluded. */
  ancestors(key: AssetKey, depth?: number): AssetKey[] {
    return this.#walk(key, this.#parents, depth);
  }

  /** Everything downstream of `key` (up to `depth` levels, default all), sorted, `key` excluded. */
  descendants(key: AssetKey, depth?: number): AssetKey[] {
    return this.#walk(key, this.#children, depth);
  }

  /** The assets with no parents. */
  roots(): AssetKey[] {
    return this.keys().filter((key) => (this.#parents.get(key) ?? []).length === 0);
  }

  /** The assets with no children. */
  sinks(): AssetKey[] {
    return this.keys().filter((key) => (this.#children.get(key) ?? []).length === 0);
  }

  #walk(key: AssetKey, next: Map<AssetKey, AssetKey[]>, depth = Number.POSITIVE_INFINITY): AssetKey[] {
    this.get(key);
    const seen = new Set<AssetKey>([key]);
    let frontier = [key];
    for (let level = 0; level < depth && frontier.length > 0; level++) {
      frontier = frontier.flatMap((at) => (next.get(at) ?? []).filter((other) => !seen.has(other)));
      for (const other of frontier) seen.add(other);
    }
    seen.delete(key);
    return [...seen].sort();
  }

  /** One cycle, its first asset repeated at the end, or undefined: a depth-first search for a back edge. */
  #findCycle(): AssetKey[] | undefined {
    const state = new Map<AssetKey, 'open' | 'done'>();
    const path: AssetKey[] = [];
    const visit = (key: AssetKey): AssetKey[] | undefined => {
      state.set(key, 'open');
      path.push(key);
      for (const parent of this.#parents.get(key) ?? []) {
        if (state.get(parent) === 'open') {
          // The path from the parent down to here, read in build order: parent → … → key → parent.
          const loop = path.slice(path.indexOf(parent));
          return [...loop, parent];
        }
        if (!state.has(parent)) {
          const found = visit(parent);
          if (found) return found;
        }
      }
      path.pop();
      state.set(key, 'done');
      return undefined;
    };
    for (const key of this.keys()) {
      if (state.has(key)) continue;
      const found = visit(key);
      if (found) return found.reverse();
    }
    return undefined;
  }
}

/** The known key closest to a misspelt one, when close enough to be a typo (or the one with that last part). */
function closeKey(key: string, keys: readonly string[]): string[] {
  if (keys.length === 0) return [];
  const byLastPart = keys.find((candidate) => candidate.split('/').at(-1) === key.split('/').at(-1));
  if (byLastPart) return [byLastPart];
  const best = closest(key, [...keys]);
  return distance(key, best) <= Math.max(2, Math.floor(key.length / 3)) ? [best] : [];
}

import { NotImplementedError } from '@mart/shared';
import type { AssetNode, Selection } from '@mart/stage-06-orchestration/given';

/**
 * Exercise: Resolving an asset selection over the graph.
 *
 * `pnpm stage 6 materialize --select '+key:dbt/fct_sales'` must know WHICH assets to run.
 * The stage parses the text for you (Dagster's selection syntax, see the README) into a
 * `Selection` tree; you evaluate that tree over the asset graph.
 *
 * Return the keys of the assets of `graph` that `selection` picks, sorted (plain string
 * order, `[...keys].sort()`). Each node kind means:
 * - `all` (`*`): every asset of the graph.
 * - `attribute` `key`: the asset's whole key matches the value, where `*` stands for any
 *   run of characters, slashes included (`key:dbt/*` → every key starting `dbt/`;
 *   `key:*sales` → every key ending in `sales`). Anchored at both ends: `key:sales` is
 *   only the key `sales`, never `dbt/fct_sales`.
 * - `attribute` `group` / `kind` / `owner`: the asset's group equals the value / its
 *   kinds / its owners include the value.
 * - `tag` with a value (`tag:tier=gold`): the asset has the tag with exactly that value.
 *   Without one (`tag:staging`): the asset has the tag with the EMPTY value `''` (a tag
 *   written without a value) — not "any value" (that is Dagster's rule too).
 * - `and` / `or`: the assets in both / in either; `not`: every asset of the graph that
 *   the operand does not pick.
 * - `traverse`: the operand's assets, plus their ancestors (through `deps`) up to `up`
 *   levels and their descendants up to `down` levels; `'all'` means no limit, 0 none. A
 *   level is one edge: `1+x` adds x's direct parents. An asset reached by two paths is
 *   at the shorter distance. Ancestors and descendants are taken separately from the
 *   operand (`2+x+1` never adds the parents of x's children).
 * - `function` `roots` / `sinks`: the operand's assets that have no ancestor / no
 *   descendant (at any distance) that is itself among the operand's assets.
 * A dependency that is not a key of `graph` is ignored.
 *
 * This is plain TypeScript, no database. The orchestrator calls it for `--select` and
 * for `assets --select`.
 *
 * @example
 * const graph = [
 *   { key: 'raw/sales', deps: [], group: 'raw', kinds: ['csv'], tags: {}, owners: [] },
 *   { key: 'dbt/stg_sales', deps: ['raw/sales'], group: 'staging', kinds: ['dbt'], tags: { staging: '' }, owners: [] },
 *   { key: 'dbt/fct_sales', deps: ['dbt/stg_sales'], group: 'marts', kinds: ['dbt'], tags: {}, owners: [] },
 * ];
 * selectAssets(graph, { kind: 'traverse', up: 1, down: 0,
 *   operand: { kind: 'attribute', attribute: 'key', value: 'dbt/fct_sales' } })
 * // → ['dbt/fct_sales', 'dbt/stg_sales']
 */
export function selectAssets(graph: readonly AssetNode[], selection: Selection): string[] {
  throw new NotImplementedError('06-orchestration/select-assets');
}

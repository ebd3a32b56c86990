import type { AssetKey } from '../given/types.ts';
import { type DailyPartitionsDefinition, dailyPartitions } from '../partitions/daily-partitions.ts';
import { AssetDefinitionError } from './asset-definition-error.ts';
import type { DbtManifest, DbtNode, DbtSource } from './dbt-manifest.ts';
import { type AssetCheckSpec, type AssetDefinition, defineAsset, type MaterializeFn } from './define-asset.ts';

/** Options for {@link dbtAssets}. */
export interface DbtAssetsOptions {
  /** Put before every node's name in its key; default `dbt` (`dbt/fct_sales`). */
  keyPrefix?: string;
  /**
   * The key of the asset a dbt source reads. Default: `lake/<schema>/<identifier>` for the
   * `lake` database (stage 4's tables: source bronze.sales → `lake/bronze/sales`), else
   * `<source_name>/<name>` (dagster-dbt's default).
   */
  sourceKey?: (source: DbtSource) => AssetKey;
  /** How to build one node; without it the dbt assets are external (nothing to run). */
  materialize?: (node: DbtNode) => MaterializeFn;
  /**
   * A node's partitions. Default: daily partitions from `begin` for microbatch models
   * with `batch_size: day` (their batches are days already), none for the others.
   */
  partitions?: (node: DbtNode) => DailyPartitionsDefinition | undefined;
}

/** A dbt test that became no asset check, and why. */
export interface UnattachedTest {
  uniqueId: string;
  reason: string;
}

/** What {@link dbtAssets} made of a manifest. */
export interface DbtAssets {
  /** One asset per model, seed and snapshot (ephemeral models are seen through). */
  assets: AssetDefinition[];
  /** Tests that are not checks of one asset (tests of sources, singular tests over several models). */
  unattachedTests: UnattachedTest[];
}

const assetTypes = new Set(['model', 'seed', 'snapshot']);

/**
 * One asset per model, seed and snapshot of a dbt manifest, as dagster-dbt loads a
 * project:
 * - key `dbt/<name>` (a node's name is unique in a dbt project; the schema is left out
 *   because it depends on the profile), or `meta.dagster.asset_key` when a node sets it;
 * - deps from `depends_on.nodes`: other nodes by their keys, sources by `sourceKey`,
 *   ephemeral models seen through to what they read;
 * - group from the folder (`staging/stg_sales.sql` → `staging`, `fqn[1]` for models),
 *   else `seeds` / `snapshots`; `meta.dagster.group` or the dbt group win;
 * - kinds `dbt`, the adapter (`duckdb`) and the materialization (`table`, `incremental`…);
 * - tags: each dbt tag as a tag without a value (`tag:staging`);
 * - owners from `meta.dagster.owners`;
 * - the data tests as asset checks of the node they test (generic tests: `attached_node`;
 *   singular tests: their only parent, or `meta.dagster.ref`), blocking when their
 *   severity is error, as dagster-dbt does;
 * - code version: the node's checksum (sha256 of its file), so editing a model's SQL
 *   makes the asset stale. (dagster-dbt hashes raw_code; same effect.)
 *
 * @example
 * const { assets } = dbtAssets(readDbtManifest('stages/05-incremental/project/target/manifest.json'));
 * assets.find((asset) => asset.key === 'dbt/stg_sales')?.deps // → ['lake/bronze/sales']
 */
export function dbtAssets(manifest: DbtManifest, options: DbtAssetsOptions = {}): DbtAssets {
  const prefix = options.keyPrefix ?? 'dbt';
  const sourceKey = options.sourceKey ?? defaultSourceKey;
  const partitionsOf = options.partitions ?? defaultPartitions;
  const nodes = new Map(Object.entries(manifest.nodes).filter(([, node]) => node.config.enabled));
  const isAsset = (node: DbtNode) => assetTypes.has(node.resource_type) && node.config.materialized !== 'ephemeral';
  const keyOf = (node: DbtNode): AssetKey => {
    const custom = dagsterMeta(node).asset_key;
    if (Array.isArray(custom) && custom.every((part) => typeof part === 'string')) return custom.join('/');
    return `${prefix}/${node.name}`;
  };

  /** The asset keys a node reads, ephemeral models replaced by what they read. */
  const upstream = (ids: readonly string[], seen = new Set<string>()): AssetKey[] =>
    ids.flatMap((id) => {
      if (seen.has(id)) return [];
      seen.add(id);
      const source = manifest.sources[id];
      if (source) return [sourceKey(source)];
      const node = nodes.get(id);
      if (!node || !assetTypes.has(node.resource_type)) return [];
      return isAsset(node) ? [keyOf(node)] : upstream(node.depends_on.nodes, seen);
    });

  // Tests → checks of the asset they test.
  const checks = new Map<string, AssetCheckSpec[]>();
  const unattachedTests: UnattachedTest[] = [];
  for (const test of nodes.values()) {
    if (test.resource_type !== 'test') continue;
    const target = attachedNode(test, nodes);
    if (typeof target !== 'string') {
      unattachedTests.push({ uniqueId: test.unique_id, reason: target.reason });
      continue;
    }
    const parent = nodes.get(target);
    if (!parent || !isAsset(parent)) {
      unattachedTests.push({
        uniqueId: test.unique_id,
        reason: `it tests ${target}, which is not an asset (ephemeral?)`,
      });
      continue;
    }
    const others = upstream(test.depends_on.nodes.filter((id) => id !== target));
    const spec: AssetCheckSpec = {
      name: test.name,
      blocking: (test.config.severity ?? 'error').toLowerCase() === 'error',
      ...(test.description ? { description: test.description } : {}),
      ...(others.length > 0 ? { additionalDeps: [...new Set(others)] } : {}),
      metadata: { dbt_unique_id: test.unique_id, severity: (test.config.severity ?? 'error').toLowerCase() },
    };
    checks.set(target, [...(checks.get(target) ?? []), spec]);
  }

  const adapter = manifest.metadata.adapter_type;
  const assets: AssetDefinition[] = [];
  for (const node of nodes.values()) {
    if (!isAsset(node)) continue;
    const meta = dagsterMeta(node);
    const owners = Array.isArray(meta.owners) ? meta.owners.filter((owner) => typeof owner === 'string') : [];
    const group = typeof meta.group === 'string' ? meta.group : (node.config.group ?? folderGroup(node));
    const partitions = partitionsOf(node);
    const materialize = options.materialize?.(node);
    assets.push(
      defineAsset({
        key: keyOf(node),
        deps: upstream(node.depends_on.nodes),
        group,
        kinds: ['dbt', ...(adapter ? [adapter] : []), node.config.materialized],
        tags: Object.fromEntries(node.tags.map((tag) => [tag, ''])),
        owners,
        description: node.description || `dbt ${node.resource_type} ${node.name}`,
        checks: [...(checks.get(node.unique_id) ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1)),
        codeVersion: node.checksum.checksum,
        metadata: {
          dbt_unique_id: node.unique_id,
          materialization: node.config.materialized,
          file: node.original_file_path,
          relation: node.relation_name,
        },
        ...(partitions ? { partitions } : {}),
        ...(materialize ? { materialize } : {}),
      }),
    );
  }
  assets.sort((a, b) => (a.key < b.key ? -1 : 1));
  return { assets, unattachedTests };
}

/** Stage 4's lake tables for sources in the `lake` database; dagster-dbt's `[source_name, name]` otherwise. */
export function defaultSourceKey(source: DbtSource): AssetKey {
  return source.database === 'lake'
    ? `lake/${source.schema}/${source.identifier}`
    : `${source.source_name}/${source.name}`;
}

function defaultPartitions(node: DbtNode): DailyPartitionsDefinition | undefined {
  const { materialized, incremental_strategy: strategy, batch_size: batchSize, begin } = node.config;
  if (materialized !== 'incremental' || strategy !== 'microbatch' || batchSize !== 'day' || !begin) return undefined;
  try {
    return dailyPartitions({ start: begin.slice(0, 10) });
  } catch {
    throw new AssetDefinitionError(`dbt model ${node.unique_id}: begin "${begin}" is not a day.`, {
      hint: `Fix its config in ${node.original_file_path} (begin='YYYY-MM-DD').`,
    });
  }
}

/** `meta.dagster` (config first, as dbt merges it), dagster-dbt's place for Dagster settings. */
function dagsterMeta(node: DbtNode): Record<string, unknown> {
  const fromConfig = node.config.meta.dagster;
  const fromNode = node.meta.dagster;
  const pick = (value: unknown) => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});
  return { ...pick(fromNode), ...pick(fromConfig) };
}

/** The first folder under the resource folder (`staging` for models/staging/x.sql), or the resource type. */
function folderGroup(node: DbtNode): string {
  const parts = node.path.split('/');
  return parts.length > 1 && parts[0] ? parts[0] : `${node.resource_type}s`;
}

/** The unique_id of the node a test checks, or why there is none. */
function attachedNode(test: DbtNode, nodes: ReadonlyMap<string, DbtNode>): string | { reason: string } {
  if (test.attached_node) return test.attached_node;
  const ref = dagsterMeta(test).ref;
  if (ref && typeof ref === 'object' && typeof (ref as { name?: unknown }).name === 'string') {
    const name = (ref as { name: string }).name;
    const found = [...nodes.values()].find((node) => assetTypes.has(node.resource_type) && node.name === name);
    return found
      ? found.unique_id
      : { reason: `its meta.dagster.ref names "${name}", which is not a model, seed or snapshot` };
  }
  const parents = test.depends_on.nodes.filter((id) => assetTypes.has(nodes.get(id)?.resource_type ?? ''));
  if (parents.length === 1 && parents[0]) return parents[0];
  if (parents.length === 0) return { reason: 'it tests a source, not a model, seed or snapshot' };
  return {
    reason: `it reads ${parents.length} models (${parents.join(', ')}); set meta: {dagster: {ref: {name: …}}} to say which one it checks`,
  };
}

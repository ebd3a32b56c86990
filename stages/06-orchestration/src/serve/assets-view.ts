import type { CommandContext } from '@mart/shared';
import type { AssetGraph } from '../assets/asset-graph.ts';
import { assetStatuses } from '../assets/asset-status.ts';
import { loadCoursePipeline } from '../materializers/course-pipeline.ts';
import { observeRawFiles } from '../materializers/raw-files.ts';
import type { MaterializationRecord } from '../storage/types.ts';
import type { StorageReader } from './storage-reader.ts';

/** The layers of the course, left to right. */
export const assetLayers = ['raw', 'bronze', 'silver', 'gold', 'dbt', 'other'] as const;
export type AssetLayer = (typeof assetLayers)[number];

/** One asset as the Assets page shows it. */
export interface AssetRow {
  key: string;
  layer: AssetLayer;
  group: string;
  kinds: string[];
  checks: number;
  deps: string[];
  /** fresh, stale, missing or external; `detail` says why (stale's causes, a raw file's time). */
  status: 'fresh' | 'stale' | 'missing' | 'external';
  detail: string;
  lastMaterialization: { time: string; runId: string; rows: number | null; partition: string | null } | null;
  /** Where the graph draws it: column (longest path from a root) and row in that column. */
  column: number;
  row: number;
}

/** The graph loaded once per server (parsing stage 5's project takes a while). */
export interface CourseGraph {
  graph: AssetGraph;
  inputDir: string;
}

/**
 * The course's asset graph, loaded the way `pnpm stage 6 assets` loads it. The pipeline's
 * resources (stage 5's warehouse) are closed at once: the UI only reads the definitions.
 */
export async function loadCourseGraph(context: Pick<CommandContext, 'mine' | 'paths' | 'env'>): Promise<CourseGraph> {
  const pipeline = await loadCoursePipeline({ context });
  try {
    return { graph: pipeline.graph, inputDir: pipeline.inputDir };
  } finally {
    await pipeline.close();
  }
}

export function layerOf(key: string): AssetLayer {
  if (key.startsWith('raw/')) return 'raw';
  if (key.startsWith('lake/bronze/')) return 'bronze';
  if (key.startsWith('lake/silver/')) return 'silver';
  if (key.startsWith('lake/gold/')) return 'gold';
  if (key.startsWith('dbt/')) return 'dbt';
  return 'other';
}

/**
 * Every asset with its state, from the graph and the run storage's last materializations
 * (the same staleness rules as the `assets` command), placed in layered columns.
 */
export function assetRows(course: CourseGraph, reader: StorageReader): AssetRow[] {
  const { graph } = course;
  const latest = reader.read((storage) => storage.latestMaterializations(), new Map<string, MaterializationRecord>());
  // The same statuses as `pnpm stage 6 assets`: staleness goes by the materializations that changed data.
  const changed = reader.read(
    (storage) => storage.latestMaterializations({ changedData: true }),
    new Map<string, MaterializationRecord>(),
  );
  const statuses = assetStatuses({
    graph,
    materializations: [...latest.values(), ...changed.values()],
    rawFiles: observeRawFiles(course.inputDir),
  });
  const placed = layout(graph);
  return graph.assets().map((asset): AssetRow => {
    const last = latest.get(asset.key);
    const { status, detail } = statuses.get(asset.key) ?? { status: 'missing', detail: '' };
    const where = placed.get(asset.key) ?? { column: 0, row: 0 };
    return {
      key: asset.key,
      layer: layerOf(asset.key),
      group: asset.group,
      kinds: [...asset.kinds],
      checks: asset.checks.length,
      deps: graph.parents(asset.key),
      status,
      detail,
      lastMaterialization: last
        ? { time: last.time, runId: last.runId, rows: last.rows ?? null, partition: last.partitionKey ?? null }
        : null,
      column: where.column,
      row: where.row,
    };
  });
}

/**
 * Columns layer by layer (raw, bronze, silver, gold, dbt: a layer starts right of the
 * ones before it), and inside a layer by longest path, so every edge points right. Rows
 * follow where the parents sit (fewer crossing edges), then the key.
 */
function layout(graph: AssetGraph): Map<string, { column: number; row: number }> {
  const keys = graph.keys();
  const rank = (key: string) => assetLayers.indexOf(layerOf(key));
  const column = new Map(keys.map((key) => [key, 0]));
  // A fixed point, as the graph is a DAG: at most one pass per asset, then nothing moves.
  for (let pass = 0; pass <= keys.length; pass++) {
    let moved = false;
    for (const key of keys) {
      const before = keys.filter((other) => rank(other) < rank(key)).map((other) => column.get(other) ?? 0);
      const parents = graph.parents(key).map((parent) => (column.get(parent) ?? 0) + 1);
      const start = before.length === 0 ? 0 : Math.max(...before) + 1;
      const value = Math.max(start, ...parents);
      if (value !== column.get(key)) {
        column.set(key, value);
        moved = true;
      }
    }
    if (!moved) break;
  }
  const placed = new Map<string, { column: number; row: number }>();
  const last = Math.max(0, ...column.values());
  for (let c = 0; c <= last; c++) {
    const mean = (key: string) => {
      const rows = graph.parents(key).map((parent) => placed.get(parent)?.row ?? 0);
      return rows.length === 0 ? 0 : rows.reduce((a, b) => a + b, 0) / rows.length;
    };
    const inColumn = keys
      .filter((key) => column.get(key) === c)
      .sort((a, b) => mean(a) - mean(b) || a.localeCompare(b));
    inColumn.forEach((key, row) => {
      placed.set(key, { column: c, row });
    });
  }
  return placed;
}

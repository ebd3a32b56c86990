import { join } from 'node:path';
import type { Scenario } from '../scenario.ts';
import { concurrencyOf, concurrencyVariants } from './stage6-concurrency.ts';

/** The graph: 10 layers of 50 no-op assets, each below the first waiting for up to three above it. */
const layers = 10;
const width = 50;
const assets = layers * width;

/** The asset `index` of `layer`, e.g. `bench/l03/a017`. */
function assetKey(layer: number, index: number): string {
  return `bench/l${String(layer).padStart(2, '0')}/a${String(index).padStart(3, '0')}`;
}

/**
 * The dependencies of one asset: three of the layer above (fan-in 3, and so a fan-out of
 * about 3), and for every tenth asset one two layers up, as a mart reads a staging table
 * past the intermediate models. Fixed, so every run plans the same graph.
 */
function layeredDeps(layer: number, index: number): string[] {
  if (layer === 0) return [];
  const above = [index, (index + 1) % width, (index * 7 + 3) % width].map((i) => assetKey(layer - 1, i));
  const skip = layer >= 2 && index % 10 === 0 ? [assetKey(layer - 2, (index + 5) % width)] : [];
  return [...new Set([...above, ...skip])];
}

/**
 * The price of the orchestrator per asset: a run of 500 no-op assets (10 layers of 50,
 * fan-in and fan-out of about 3) through the real executor (`materializeRun`, the
 * reference pieces deciding what starts) writing to real run storage, a fresh SQLite file
 * in WAL mode in the run's folder: the run and its PLANNED steps, the locks, every step's
 * start and success, a materialization per asset, the events, the heartbeat, the end.
 * Planning is timed; defining the assets and opening the storage (its schema) are not,
 * as the baseline's DuckDB is opened before the clock: fixed costs, not per asset. The
 * baseline is the same count of steps as raw DuckDB statements, `select 1` in one
 * connection: the floor of doing anything 500 times. Target: ≤ 5 ms per asset, storage
 * writes included.
 */
export const stage6Overhead: Scenario = {
  name: 'stage6-overhead',
  description: `stage 6 run of ${assets} no-op assets (executor + SQLite run storage) vs DuckDB running select 1 ${assets} times`,
  variants: concurrencyVariants,
  async ours({ variant, runDir, afterWork }) {
    const { MartPaths, MineScope } = await import('@mart/shared');
    const { AssetGraph, defineAsset, loadOrchestrationPieces, materializeRun, planRun, RunStorage } = await import(
      '@mart/stage-06-orchestration'
    );
    const concurrency = concurrencyOf(variant);
    const pieces = await loadOrchestrationPieces(MineScope.none(), new MartPaths());
    const graph = new AssetGraph(
      Array.from({ length: assets }, (_, i) => {
        const layer = Math.floor(i / width);
        const index = i % width;
        // A no-op: what is left is the orchestrator's own work.
        return defineAsset({
          key: assetKey(layer, index),
          deps: layeredDeps(layer, index),
          materialize: async () => {},
        });
      }),
    );
    // Opened before the clock, as the baseline's DuckDB is: a fixed cost, not a per-asset one.
    const storage = RunStorage.open({ path: join(runDir, 'runs', 'runs.db') });
    afterWork(() => storage.close());
    storage.markDeadRuns();
    return async ({ report }) => {
      const plan = planRun(graph, graph.keys());
      const outcome = await materializeRun({
        storage,
        plan,
        selection: '*',
        pieces,
        concurrency,
        // `materialize`'s defaults: two retries with backoff (none is needed here).
        defaultRetry: { maxRetries: 2, delaySeconds: 0.5, backoff: 'exponential', jitter: 'plus_minus' },
        config: { concurrency, retries: 2, retry_delay_seconds: 0.5, mine: false, force: false },
      });
      const written = storage.countMaterializations({ runId: outcome.runId });
      if (outcome.status !== 'SUCCESS' || written !== assets) {
        throw new Error(`The run ended ${outcome.status} with ${written} materializations: ${outcome.message}`);
      }
      report({ steps: plan.steps.length });
    };
  },
  async baseline({ afterWork }) {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    afterWork(() => {
      connection.closeSync();
      instance.closeSync();
    });
    return async ({ report }) => {
      for (let i = 0; i < assets; i++) await connection.run('select 1');
      report({ steps: assets });
    };
  },
};

import { CliError } from '@mart/shared';
import type { AssetGraph } from '../assets/asset-graph.ts';
import type { AssetDefinition } from '../assets/define-asset.ts';
import type { OrchestrationPieces } from '../given/pieces.ts';
import type { AssetKey, PartitionStatus } from '../given/types.ts';
import {
  type BackfillPolicy,
  type PartitionRun,
  planBackfillRuns,
  resolveBackfillPolicy,
} from '../partitions/backfill-policy.ts';
import { keysBetween, lastPartition, partitionRange } from '../partitions/daily-partitions.ts';
import type { RunStorage } from '../storage/run-storage.ts';
import { activeRunStatuses, type BackfillProgress, type BackfillRecord, type RunRecord } from '../storage/types.ts';

/** Options for {@link planPartitionedRuns}. */
export interface PartitionedRunsOptions {
  storage: RunStorage;
  graph: AssetGraph;
  /** The selected partitioned assets. */
  assetKeys: readonly AssetKey[];
  /** The selection as typed (recorded with the backfill). */
  selection: string;
  /** The partitions asked for, both ends included (`--partition K` is K..K). */
  from: string;
  to: string;
  /** `--force`: run the materialized partitions again too. */
  force: boolean;
  /** The clock partitions exist by (the lake's: its last partition is the newest sales day). */
  now: Date;
  /** The backfill-partitions piece decides which partitions must run. */
  pieces: Pick<OrchestrationPieces, 'backfillPartitions'>;
  /** Overrides the assets' backfill policy (`--backfill-policy`). */
  policy?: BackfillPolicy | undefined;
}

/** What a partitioned materialize will do. */
export interface PartitionedRuns {
  assets: AssetDefinition[];
  /** Every partition of the range. */
  rangeKeys: string[];
  /** Where each partition of the range stands now (for every selected asset at once); absent: missing. */
  status: Record<string, PartitionStatus>;
  /** The partitions that run (missing and failed ones, unless --force). */
  keys: string[];
  /** The policy that splits them into runs (undefined: one run per partition, Dagster's default). */
  policy: BackfillPolicy | undefined;
  runs: PartitionRun[];
  /** The backfill the runs belong to (ranges of more than one day): resumed, or new. */
  backfill: { record: BackfillRecord; resumed: boolean; progress: BackfillProgress | undefined } | undefined;
}

/**
 * Plans `materialize --partition K` / `--from A --to B`: checks the range against every
 * selected asset's partitions (at `now`), reads where each partition stands from the run
 * storage (materialized, failed, or being run by a live run), lets the backfill-partitions
 * piece choose the partitions to run, and splits them into runs with the backfill policy.
 *
 * A range is a backfill, recorded in the storage. A backfill whose command died (still
 * REQUESTED) is resumed by the same command: same assets, same range. Its progress comes
 * from the materialization events, so the partitions it finished are not run again
 * (with --force too: a resumed forced backfill skips what it already rebuilt).
 *
 * Creates the backfill record, nothing else: the caller runs the runs.
 *
 * @example
 * const planned = planPartitionedRuns({ storage, graph, assetKeys: ['dbt/daily_revenue'], selection: '*',
 *   from: '2025-01-01', to: '2025-01-30', force: false, now, pieces });
 * planned.runs.length // → 1 (single_run)
 */
export function planPartitionedRuns(options: PartitionedRunsOptions): PartitionedRuns {
  const { storage, graph, from, to, now } = options;
  const assets = [...new Set(options.assetKeys)].sort().map((key) => graph.get(key));
  const definitions = assets.map((asset) => {
    if (!asset.partitions) throw new Error(`planPartitionedRuns: ${asset.key} has no partitions.`);
    return asset.partitions;
  });
  if (assets.length === 0) throw new Error('planPartitionedRuns: no asset.');
  for (const definition of definitions) partitionRange(definition, { start: from, end: to }, now);
  const start = definitions
    .map((definition) => definition.start)
    .sort()
    .at(-1) as string;
  const last = definitions
    .map((definition) => lastPartition(definition, now))
    .filter((key): key is string => key !== undefined)
    .sort()[0] as string;
  const rangeKeys = keysBetween(from, to);

  const status = partitionStatus(storage, assets, rangeKeys);
  const chosen = options.pieces.backfillPartitions({
    from,
    to,
    start,
    lastPartition: last,
    status,
    force: options.force,
  });
  checkChosen(chosen, rangeKeys, status, options.force);
  let keys = [...chosen];
  const policy = options.policy ?? resolveBackfillPolicy(assets.map((asset) => asset.backfillPolicy));

  let backfill: PartitionedRuns['backfill'];
  if (rangeKeys.length > 1) {
    const assetKeys = assets.map((asset) => asset.key);
    const same = storage
      .backfills({ status: 'REQUESTED' })
      .find((record) => record.range.from === from && record.range.to === to && sameKeys(record.assetKeys, assetKeys));
    if (same) {
      const progress = storage.backfillProgress(same.id);
      if (options.force) keys = keys.filter((key) => progress.partitions.get(key) !== 'MATERIALIZED');
      backfill = { record: same, resumed: true, progress };
    } else if (keys.length > 0) {
      const record = storage.createBackfill({
        selection: options.selection,
        assetKeys,
        partitionKeys: rangeKeys,
        policy: policy?.type === 'single_run' ? 'single_run' : 'multi_run',
        maxPartitionsPerRun: policy?.type === 'multi_run' ? policy.maxPartitionsPerRun : policy ? undefined : 1,
        force: options.force,
      });
      backfill = { record, resumed: false, progress: undefined };
    }
  }
  return { assets, rangeKeys, status, keys, policy, runs: planBackfillRuns(keys, policy), backfill };
}

/**
 * Where each partition of the range stands for the selected assets together: `running`
 * when a live run covers it for any of them, `materialized` when every asset's latest
 * word on it is a materialization, `failed` when one's latest is a failure; absent
 * (missing) otherwise.
 */
export function partitionStatus(
  storage: RunStorage,
  assets: readonly AssetDefinition[],
  rangeKeys: readonly string[],
): Record<string, PartitionStatus> {
  const running = new Set<string>();
  const active = storage.runs({ statuses: activeRunStatuses, limit: 0 });
  const index = new Map(rangeKeys.map((key, i) => [key, i]));
  for (const run of active) {
    if (!assets.some((asset) => run.assetKeys.includes(asset.key))) continue;
    for (const key of covered(run, rangeKeys, index)) running.add(key);
  }
  const perAsset = assets.map((asset) => storage.partitionStatuses(asset.key, rangeKeys));
  const status: Record<string, PartitionStatus> = {};
  for (const key of rangeKeys) {
    if (running.has(key)) status[key] = 'running';
    else if (perAsset.every((statuses) => statuses.get(key) === 'MATERIALIZED')) status[key] = 'materialized';
    else if (perAsset.some((statuses) => statuses.get(key) === 'FAILED')) status[key] = 'failed';
  }
  return status;
}

function covered(run: RunRecord, rangeKeys: readonly string[], index: ReadonlyMap<string, number>): string[] {
  if (run.partitionKey !== undefined) return index.has(run.partitionKey) ? [run.partitionKey] : [];
  if (!run.range) return [];
  return rangeKeys.filter((key) => key >= (run.range?.from ?? '') && key <= (run.range?.to ?? ''));
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().every((key, i) => key === [...b].sort()[i]);
}

/** The piece's answer, checked: keys of the range, in order, none running, none done unless forced. */
function checkChosen(
  chosen: unknown,
  rangeKeys: readonly string[],
  status: Readonly<Record<string, PartitionStatus>>,
  force: boolean,
): asserts chosen is string[] {
  const hint =
    'The backfill-partitions piece chooses the partitions (exercises/06-orchestration/backfill-partitions.ts under --mine).';
  if (!Array.isArray(chosen))
    throw new CliError(`backfillPartitions returned ${typeof chosen}, not a list of keys.`, { hint });
  const inRange = new Set(rangeKeys);
  let previous = '';
  for (const key of chosen) {
    if (typeof key !== 'string' || !inRange.has(key)) {
      throw new CliError(`backfillPartitions returned ${JSON.stringify(key)}, which is not a partition of the range.`, {
        hint,
      });
    }
    if (key <= previous)
      throw new CliError(`backfillPartitions returned ${key} after ${previous}: not oldest first.`, { hint });
    if (status[key] === 'running') {
      throw new CliError(`backfillPartitions chose ${key}, which a live run is building.`, { hint });
    }
    if (status[key] === 'materialized' && !force) {
      throw new CliError(`backfillPartitions chose ${key}, which is materialized (and --force is not given).`, {
        hint,
      });
    }
    previous = key;
  }
}

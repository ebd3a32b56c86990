import { AssetLockedError } from '../storage/errors.ts';
import type { Json, RunRecord } from '../storage/types.ts';
import { type ExecuteRunOptions, executeRun, type RunOutcome } from './execute-run.ts';
import type { RunPlan } from './plan.ts';

/** Told when the run starts and ends (lineage's run events). It must not throw; what it throws is ignored. */
export interface RunLifecycleObserver {
  runStarted?(run: RunRecord): void;
  runEnded?(run: RunRecord, outcome: RunOutcome): void;
}

/** Options for {@link materializeRun}. */
export interface MaterializeRunOptions extends Omit<ExecuteRunOptions, 'runId'> {
  /** The selection as typed (recorded with the run). */
  selection: string;
  plan: RunPlan;
  /** The backfill the run belongs to. */
  backfillId?: string;
  /** The run's configuration, stored with it (concurrency, retries, --mine, partitions…). */
  config?: Record<string, Json>;
  /** Wait up to this long for another run's locks on the same assets; 0 (default): refuse at once. */
  lockWaitMs?: number;
  /** How often the run says it is alive. Default 5 s. */
  heartbeatMs?: number;
  /** Called once the run exists and holds its locks, before any step starts. */
  onStarted?: (run: RunRecord) => void;
  lifecycle?: RunLifecycleObserver;
}

/**
 * One run, from start to end, in the run storage: creates it (QUEUED, a PLANNED step per
 * asset), locks its assets (another live run holding one: refused with the holder's run
 * and PID, or waited for with `lockWaitMs`), starts it with a heartbeat, executes it (see
 * executeRun) and ends it SUCCESS, FAILURE or CANCELED, releasing the locks. A failure of
 * the executor itself ends the run FAILURE with the error, then throws it.
 *
 * @example
 * const outcome = await materializeRun({ storage, plan, selection: '*', pieces, concurrency: 4 });
 */
export async function materializeRun(options: MaterializeRunOptions): Promise<RunOutcome> {
  const { storage, plan } = options;
  const keys = options.partitionKeys ?? [];
  const first = keys[0];
  const last = keys.at(-1);
  const run = storage.createRun({
    selection: options.selection,
    assetKeys: plan.assetKeys,
    ...(keys.length === 1 && first !== undefined ? { partitionKey: first } : {}),
    ...(keys.length > 1 && first !== undefined && last !== undefined ? { range: { from: first, to: last } } : {}),
    ...(options.backfillId ? { backfillId: options.backfillId } : {}),
    config: options.config ?? {},
  });
  // Alive from now on, also while waiting for another run's locks (or a waiting run would
  // look dead to other commands).
  const stopHeartbeat = storage.startHeartbeat(run.id, options.heartbeatMs ?? 5000);
  try {
    await storage.acquireAssetLocks(run.id, plan.assetKeys, { waitMs: options.lockWaitMs ?? 0 });
  } catch (error) {
    stopHeartbeat();
    const why = error instanceof AssetLockedError ? error.message : String(error);
    storage.finishRun(run.id, 'FAILURE', `Not started: ${why}`);
    throw error;
  }
  storage.startRun(run.id);
  const started = storage.run(run.id) ?? run;
  const quietly = (call: () => void) => {
    try {
      call();
    } catch {
      // See RunLifecycleObserver.
    }
  };
  try {
    options.onStarted?.(started);
    quietly(() => options.lifecycle?.runStarted?.(started));
    let outcome: RunOutcome;
    try {
      outcome = await executeRun({ ...options, runId: run.id });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      storage.finishRun(run.id, 'FAILURE', message);
      const failed: RunOutcome = { runId: run.id, status: 'FAILURE', message, steps: [], durationMs: 0 };
      quietly(() => options.lifecycle?.runEnded?.(storage.run(run.id) ?? started, failed));
      throw error;
    }
    if (!storage.finishRun(run.id, outcome.status, outcome.message)) {
      // Another command ended it first (it took this process for dead): say so, keep its verdict.
      const record = storage.run(run.id);
      outcome = {
        ...outcome,
        status: record?.status === 'SUCCESS' || record?.status === 'CANCELED' ? record.status : 'FAILURE',
        message: `${outcome.message} (Meanwhile another command ended the run: ${record?.statusMessage ?? record?.status}.)`,
      };
    }
    const ended = outcome;
    quietly(() => options.lifecycle?.runEnded?.(storage.run(run.id) ?? started, ended));
    return ended;
  } finally {
    stopHeartbeat();
  }
}

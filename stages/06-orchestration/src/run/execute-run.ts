import { CliError } from '@mart/shared';
import type {
  AssetCheckResult,
  AssetCheckSpec,
  AssetDefinition,
  AssetLogger,
  MaterializeContext,
  MaterializeResult,
  RetryPolicy,
} from '../assets/define-asset.ts';
import type { OrchestrationPieces } from '../given/pieces.ts';
import type { NextSteps, RetryDelayPolicy, StepState } from '../given/run-types.ts';
import type { AssetKey } from '../given/types.ts';
import { partitionTimeWindow } from '../partitions/daily-partitions.ts';
import type { RunStorage } from '../storage/run-storage.ts';
import type { Json } from '../storage/types.ts';
import { type RunClock, systemClock } from './clock.ts';
import type { PlannedStep, RunPlan } from './plan.ts';
import type { ProgressEvent } from './progress.ts';
import { whyNotRetried } from './retryable.ts';
import type { BeforeAttempt } from './test-hooks.ts';

/** What happened to one step. */
export interface StepOutcome {
  key: string;
  assetKeys: AssetKey[];
  status: 'succeeded' | 'failed' | 'skipped';
  /** Attempts made (0 for a skipped step). */
  attempts: number;
  /** From the first attempt's start to the end, on the run's clock; undefined when it never ran. */
  durationMs: number | undefined;
  /** Rows written, summed over its assets, when they said. */
  rows: number | undefined;
  /** Rows written by each of its assets, when it said. */
  assetRows: Record<AssetKey, number | undefined>;
  /** Why it failed, why it was skipped, or (succeeded) which blocking check failed. */
  message: string | undefined;
  /** Succeeded, but a blocking check failed: nothing downstream ran. */
  blocked: boolean;
  /** Every check evaluated after it. */
  checks: { asset: AssetKey; name: string; passed: boolean; severity: 'error' | 'warn'; blocking: boolean }[];
}

/** How a run ended. */
export interface RunOutcome {
  runId: string;
  status: 'SUCCESS' | 'FAILURE' | 'CANCELED';
  /** One line: what failed or why it stopped. */
  message: string;
  /** In the plan's order. */
  steps: StepOutcome[];
  durationMs: number;
}

/** Told about every step that starts and ends (lineage, a UI). It must not throw; what it throws is ignored. */
export interface RunObserver {
  stepStarted?(step: PlannedStep): void;
  stepEnded?(
    step: PlannedStep,
    outcome: {
      status: 'SUCCESS' | 'FAILURE' | 'CANCELED';
      results: Record<AssetKey, MaterializeResult>;
      error?: string;
    },
  ): void;
}

/** Options for {@link executeRun}. */
export interface ExecuteRunOptions {
  /** Where every event goes; the run `runId` must exist there and be STARTED. */
  storage: RunStorage;
  runId: string;
  plan: RunPlan;
  /** nextSteps decides what starts and what is skipped; retryDelay how long to wait before a retry. */
  pieces: Pick<OrchestrationPieces, 'nextSteps' | 'retryDelay'>;
  /** How many steps may run at once (`--concurrency`). */
  concurrency: number;
  /** The run's partitions, oldest first (one for `--partition`, several for a single-run range); none: unpartitioned. */
  partitionKeys?: readonly string[];
  /** The policy of steps whose assets declare none (Dagster's job-level op_retry_policy). Default: no retries. */
  defaultRetry?: RetryPolicy;
  /** Default the real clock; tests pass fakeClock(). */
  clock?: RunClock;
  /** For jitter; default Math.random. */
  random?: () => number;
  /** Aborted from outside (Ctrl-C): the run stops as if canceled. */
  signal?: AbortSignal;
  /** How often to look in the storage for a cancel request from another process. Default 250 ms. */
  cancelPollMs?: number;
  /** Called before every attempt, inside it: a throw fails the attempt (see testHooks). */
  beforeAttempt?: BeforeAttempt;
  onProgress?: (event: ProgressEvent) => void;
  observer?: RunObserver;
}

const piecesHint =
  'The executor asks the nextSteps piece what to start and skip (exercises/06-orchestration/next-steps.ts under --mine).';
const retryHint =
  'The executor asks the retryDelay piece how long to wait (exercises/06-orchestration/retry-delay.ts under --mine).';

/**
 * Executes a planned run: steps in dependency order, at most `concurrency` at once, as
 * the nextSteps piece decides each time work can start. Each step materializes its
 * assets (retried per its policy, the wait from the retryDelay piece, slept on `clock`),
 * then their checks run; a failed step, or one whose blocking check failed, gets its
 * downstream skipped with the reason. Every change is written to the storage as it
 * happens: step started / retried / succeeded / failed / skipped, materializations
 * (rows, duration, snapshot, partitions, metadata), check results, logs.
 *
 * A cancel request (`runs cancel`, another process: the run becomes CANCELING) or an
 * aborted `signal` stops submitting: running steps are told through their context's
 * AbortSignal and awaited, pending ones are skipped, and the outcome is CANCELED.
 *
 * It does not create, lock or finish the run (see materializeRun); it returns how the run
 * went. It throws only for what stops the whole run: a piece that answers nonsense, the
 * storage failing.
 *
 * @example
 * const outcome = await executeRun({ storage, runId: run.id, plan, pieces, concurrency: 4 });
 * storage.finishRun(run.id, outcome.status, outcome.message);
 */
export async function executeRun(options: ExecuteRunOptions): Promise<RunOutcome> {
  const { storage, runId, plan, pieces } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const runStart = clock.now();
  const elapsed = () => clock.now() - runStart;
  const emit = (event: ProgressEvent) => {
    try {
      options.onProgress?.(event);
    } catch {
      // A progress printer that throws must not stop the run.
    }
  };
  const observe = (call: () => void) => {
    try {
      call();
    } catch {
      // Lineage is best effort (see RunObserver).
    }
  };

  const steps = new Map(plan.steps.map((step) => [step.key, step]));
  const status: Record<string, StepState> = Object.fromEntries(plan.steps.map((step) => [step.key, 'pending']));
  const blocked = new Map<string, string>();
  const outcomes = new Map<string, StepOutcome>();
  const running = new Map<string, Promise<void>>();
  const graph = plan.steps.map((step) => ({ key: step.key, deps: step.deps }));
  const concurrency = Math.max(1, Math.floor(options.concurrency));

  // Cancellation: a request in the storage (another process), or the outside signal.
  const cancel = new AbortController();
  let cancelReason: string | undefined;
  let wakeUp: () => void = () => {};
  const requestStop = (reason: string) => {
    if (cancelReason !== undefined) return;
    cancelReason = reason;
    emit({ type: 'run-canceling', reason, elapsedMs: elapsed() });
    cancel.abort(new Error(reason));
    wakeUp();
  };
  const onAbort = () => requestStop(`Interrupted: ${String(options.signal?.reason ?? 'aborted')}`);
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort);
  const poll = setInterval(() => {
    try {
      const run = storage.run(runId);
      if (run?.status === 'CANCELING') requestStop(run.statusMessage ?? 'Canceled on request.');
      else if (run && run.status !== 'STARTED') requestStop(`The run was ended elsewhere (${run.status}).`);
    } catch {
      // The file is busy: look again at the next tick.
    }
  }, options.cancelPollMs ?? 250);

  const skipStep = (key: string, reason: string) => {
    const step = steps.get(key) as PlannedStep;
    status[key] = 'skipped';
    for (const asset of step.assets) storage.stepSkipped(runId, asset.key, reason);
    outcomes.set(key, {
      key,
      assetKeys: step.assets.map((asset) => asset.key),
      status: 'skipped',
      attempts: 0,
      durationMs: undefined,
      rows: undefined,
      assetRows: {},
      message: reason,
      blocked: false,
      checks: [],
    });
    emit({ type: 'step-skipped', step: key, assets: step.assets.map((a) => a.key), reason, elapsedMs: elapsed() });
  };

  const skipReason = (because: string): string => {
    const reason = blocked.get(because);
    if (reason !== undefined) return `Skipped: ${reason}.`;
    const what = describeStep(steps.get(because));
    return status[because] === 'skipped'
      ? `Skipped: upstream ${what} was skipped.`
      : `Skipped: upstream ${what} failed.`;
  };

  const context: StepRunContext = {
    options,
    clock,
    random,
    elapsed,
    emit,
    observe,
    signal: cancel.signal,
  };

  // What broke the run (not a step failing: the storage, a piece), set from a step's promise.
  const broken: { error: unknown }[] = [];
  const stopIfBroken = () => {
    const first = broken[0];
    if (first) throw first.error;
  };
  try {
    for (;;) {
      stopIfBroken();
      if (cancelReason !== undefined) break;
      const decision = askNextSteps(pieces, {
        graph,
        status: { ...status },
        blocked: [...blocked.keys()],
        running: running.size,
        concurrency,
      });
      checkDecision(decision, { plan, status, blocked, running: running.size, concurrency });
      for (const { key, because } of decision.skip) skipStep(key, skipReason(because));
      for (const key of decision.start) {
        const step = steps.get(key) as PlannedStep;
        status[key] = 'running';
        const work = runStep(step, context).then(
          (outcome) => {
            outcomes.set(key, outcome);
            status[key] = outcome.status === 'succeeded' ? 'succeeded' : 'failed';
            if (outcome.blocked) blocked.set(key, outcome.message ?? `a blocking check of ${key} failed`);
            running.delete(key);
          },
          (error: unknown) => {
            // Not the step failing (that is an outcome): the storage or a piece broke. Stop the run.
            broken.push({ error });
            status[key] = 'failed';
            running.delete(key);
          },
        );
        running.set(key, work);
      }
      const progressed = decision.start.length > 0 || decision.skip.length > 0;
      if (running.size === 0) {
        const pending = plan.steps.filter((step) => status[step.key] === 'pending').map((step) => step.key);
        if (pending.length === 0) break;
        if (!progressed) {
          throw new CliError(
            `nextSteps started nothing and skipped nothing while ${pending.join(', ')} ${pending.length === 1 ? 'is' : 'are'} pending and nothing runs: the run could never end.`,
            { hint: piecesHint },
          );
        }
        continue;
      }
      // Wait for a step to end (or a cancel request), then ask again.
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        void Promise.race(running.values()).then(resolve);
      });
    }
    stopIfBroken();
  } finally {
    // Canceled, or a piece broke: let what runs finish (it was told through the signal).
    if (cancelReason === undefined && running.size > 0) cancel.abort(new Error('The run stopped.'));
    await Promise.allSettled(running.values());
    clearInterval(poll);
    options.signal?.removeEventListener('abort', onAbort);
  }
  // A step that broke while others were being waited for at the end.
  stopIfBroken();

  for (const step of plan.steps) {
    if (status[step.key] === 'pending')
      skipStep(step.key, `Skipped: ${(cancelReason ?? 'the run stopped').replace(/\.$/, '')}.`);
  }
  const ordered = plan.steps.map((step) => outcomes.get(step.key) as StepOutcome);
  return { runId, ...verdict(ordered, cancelReason), steps: ordered, durationMs: elapsed() };
}

interface StepRunContext {
  options: ExecuteRunOptions;
  clock: RunClock;
  random: () => number;
  elapsed: () => number;
  emit: (event: ProgressEvent) => void;
  observe: (call: () => void) => void;
  signal: AbortSignal;
}

/** One step, attempt after attempt, until it succeeds, runs out of retries or the run is canceled. */
async function runStep(step: PlannedStep, ctx: StepRunContext): Promise<StepOutcome> {
  const { options, clock } = ctx;
  const { storage, runId } = options;
  const assetKeys = step.assets.map((asset) => asset.key);
  const policy = delayPolicy(step.retry ?? options.defaultRetry);
  const maxAttempts = policy.maxRetries + 1;
  const runPartitions = step.assets.some((asset) => asset.partitions) ? [...(options.partitionKeys ?? [])] : [];
  const single = runPartitions.length === 1 ? runPartitions[0] : undefined;
  const started = clock.now();
  const base = { key: step.key, assetKeys, blocked: false, checks: [] as StepOutcome['checks'], assetRows: {} };
  ctx.observe(() => options.observer?.stepStarted?.(step));

  for (let attempt = 1; ; attempt++) {
    for (const key of assetKeys) storage.stepStarted(runId, key, single === undefined ? {} : { partitionKey: single });
    ctx.emit({
      type: 'step-started',
      step: step.key,
      assets: assetKeys,
      attempt,
      maxAttempts,
      elapsedMs: ctx.elapsed(),
    });
    const attemptStart = clock.now();
    const context = materializeContext(step, {
      runId,
      attempt,
      partitions: runPartitions,
      signal: ctx.signal,
      storage,
    });
    let results: Record<AssetKey, MaterializeResult>;
    try {
      ctx.signal.throwIfAborted();
      await options.beforeAttempt?.(step, attempt, ctx.signal, runPartitions);
      results = await materializeStep(step, context);
    } catch (error) {
      const message = errorText(error);
      const durationMs = clock.now() - started;
      const fail = (text: string): StepOutcome => {
        for (const key of assetKeys) {
          storage.stepFailed(runId, key, {
            error: text,
            ...(error instanceof Error && !(error instanceof CliError) && error.stack ? { stack: error.stack } : {}),
          });
        }
        ctx.emit({
          type: 'step-failed',
          step: step.key,
          assets: assetKeys,
          attempts: attempt,
          durationMs,
          error: text,
          elapsedMs: ctx.elapsed(),
        });
        ctx.observe(() =>
          options.observer?.stepEnded?.(step, {
            status: ctx.signal.aborted ? 'CANCELED' : 'FAILURE',
            results: {},
            error: text,
          }),
        );
        return { ...base, status: 'failed', attempts: attempt, durationMs, rows: undefined, message: text };
      };
      if (ctx.signal.aborted) return fail(`Canceled while running: ${message}`);
      const notRetried = attempt < maxAttempts ? whyNotRetried(error) : undefined;
      if (notRetried !== undefined) return fail(`${message} (not retried: ${notRetried})`);
      const delay = askRetryDelay(options.pieces, policy, attempt, ctx.random);
      if (delay === null) return fail(attempt > 1 ? `${message} (gave up after ${attempt} attempts)` : message);
      const delayMs = Math.round(delay * 1000);
      for (const key of assetKeys) storage.stepRetrying(runId, key, { error: message, delayMs });
      ctx.emit({
        type: 'step-retrying',
        step: step.key,
        assets: assetKeys,
        attempt,
        maxAttempts,
        error: message,
        delayMs,
        elapsedMs: ctx.elapsed(),
      });
      try {
        await clock.sleep(delayMs, ctx.signal);
      } catch {
        return fail(`Canceled while waiting to retry (attempt ${attempt} failed: ${message})`);
      }
      continue;
    }

    // Materialized: record what each asset wrote, then run its checks.
    const durationMs = clock.now() - attemptStart;
    let rows: number | undefined;
    const assetRows: Record<AssetKey, number | undefined> = {};
    for (const asset of step.assets) {
      const result = results[asset.key] ?? {};
      assetRows[asset.key] = result.rows;
      if (result.rows !== undefined) rows = (rows ?? 0) + result.rows;
      recordMaterializations(storage, runId, asset, result, runPartitions, durationMs);
    }
    const failedBlocking: string[] = [];
    const checks: StepOutcome['checks'] = [];
    for (const asset of step.assets) {
      // The declared checks, then results the materialization reported for checks it did
      // not declare (stage 3's gate inside stage 4's build): recorded, never blocking.
      const declared = new Set(asset.checks.map((spec) => spec.name));
      const reported = Object.keys(results[asset.key]?.checks ?? {}).filter((name) => !declared.has(name));
      const specs: AssetCheckSpec[] = [...asset.checks, ...reported.map((name) => ({ name, blocking: false }))];
      for (const spec of specs) {
        let result = results[asset.key]?.checks?.[spec.name];
        const evaluate = spec.evaluate;
        if (!result && evaluate) {
          try {
            result = await evaluate({ ...context, assetKey: asset.key });
          } catch (error) {
            result = { passed: false, severity: 'error', description: `The check itself failed: ${errorText(error)}` };
          }
        }
        if (!result) continue;
        const severity = result.severity ?? 'error';
        storage.recordCheckResult({
          runId,
          assetKey: asset.key,
          checkName: spec.name,
          ...(single === undefined ? {} : { partitionKey: single }),
          passed: result.passed,
          severity: severity === 'warn' ? 'WARN' : 'ERROR',
          blocking: spec.blocking,
          metadata: checkMetadata(result),
        });
        checks.push({ asset: asset.key, name: spec.name, passed: result.passed, severity, blocking: spec.blocking });
        if (result.passed) continue;
        if (spec.blocking && severity === 'error')
          failedBlocking.push(`blocking check ${spec.name} of ${asset.key} failed`);
        ctx.emit({
          type: 'check-failed',
          step: step.key,
          asset: asset.key,
          check: spec.name,
          severity,
          blocking: spec.blocking,
          description: result.description,
          elapsedMs: ctx.elapsed(),
        });
      }
    }
    const blockedBy = failedBlocking.length > 0 ? failedBlocking.join('; ') : undefined;
    for (const key of assetKeys) {
      storage.stepSucceeded(
        runId,
        key,
        blockedBy ? `Materialized, but ${blockedBy}: what is built from it does not run.` : 'Succeeded.',
      );
    }
    ctx.emit({
      type: 'step-succeeded',
      step: step.key,
      assets: assetKeys,
      attempt,
      durationMs,
      rows,
      blocked: blockedBy,
      elapsedMs: ctx.elapsed(),
    });
    ctx.observe(() => options.observer?.stepEnded?.(step, { status: 'SUCCESS', results }));
    return {
      ...base,
      status: 'succeeded',
      attempts: attempt,
      durationMs: clock.now() - started,
      rows,
      assetRows,
      message: blockedBy,
      blocked: blockedBy !== undefined,
      checks,
    };
  }
}

/** The context an attempt's assets are materialized with. */
function materializeContext(
  step: PlannedStep,
  options: { runId: string; attempt: number; partitions: string[]; signal: AbortSignal; storage: RunStorage },
): MaterializeContext {
  const first = options.partitions[0];
  const last = options.partitions.at(-1);
  const range = first !== undefined && last !== undefined ? { start: first, end: last } : undefined;
  const assetKey = step.assets[0]?.key ?? step.key;
  const log = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string) => {
    try {
      options.storage.log(options.runId, level, message, assetKey);
    } catch {
      // A log line is not worth failing the step for.
    }
  };
  const logger: AssetLogger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  return {
    assetKey,
    runId: options.runId,
    attempt: options.attempt - 1,
    partitionKeys: options.partitions,
    partitionKey: options.partitions.length === 1 ? first : undefined,
    partitionKeyRange: range,
    partitionTimeWindow: range ? partitionTimeWindow(range) : undefined,
    log: logger,
    signal: options.signal,
  };
}

/** Runs the step's materialization: the multi-asset once for all its assets, or the asset's own function. */
async function materializeStep(
  step: PlannedStep,
  context: MaterializeContext,
): Promise<Record<AssetKey, MaterializeResult>> {
  if (step.multi) {
    const { assetKey: _, ...rest } = context;
    return step.multi.materialize({ ...rest, assetKeys: step.assets.map((asset) => asset.key) });
  }
  const asset = step.assets[0] as AssetDefinition;
  const result = await (asset.materialize as NonNullable<AssetDefinition['materialize']>)(context);
  return { [asset.key]: result ?? {} };
}

/** One materialization row per partition written (or one without a partition). */
function recordMaterializations(
  storage: RunStorage,
  runId: string,
  asset: AssetDefinition,
  result: MaterializeResult,
  runPartitions: readonly string[],
  durationMs: number,
): void {
  const metadata: Record<string, Json> = { ...result.metadata };
  const snapshot = result.metadata?.snapshot_id;
  const common = {
    runId,
    assetKey: asset.key,
    durationMs: Math.round(durationMs),
    ...(snapshot === undefined || snapshot === null ? {} : { snapshotId: String(snapshot) }),
    ...(asset.codeVersion === undefined ? {} : { codeVersion: asset.codeVersion }),
  };
  if (asset.partitions && result.partitions) {
    for (const [key, written] of Object.entries(result.partitions)) {
      storage.recordMaterialization({
        ...common,
        partitionKeys: [key],
        ...(written.rows === undefined ? {} : { rows: written.rows }),
        metadata,
      });
    }
    return;
  }
  if (asset.partitions && runPartitions.length > 1) {
    // One row per partition; the rows are the whole range's, so they go in the metadata.
    storage.recordMaterialization({
      ...common,
      partitionKeys: runPartitions,
      metadata: { ...metadata, ...(result.rows === undefined ? {} : { range_rows: result.rows }) },
    });
    return;
  }
  storage.recordMaterialization({
    ...common,
    ...(asset.partitions && runPartitions.length === 1 ? { partitionKeys: runPartitions } : {}),
    ...(result.rows === undefined ? {} : { rows: result.rows }),
    metadata,
  });
}

function checkMetadata(result: AssetCheckResult): Record<string, Json> {
  return { ...result.metadata, ...(result.description ? { description: result.description } : {}) };
}

/** The asset's policy as the retryDelay piece reads it; none: no retries. */
export function delayPolicy(retry: RetryPolicy | undefined): RetryDelayPolicy {
  return {
    maxRetries: retry?.maxRetries ?? 0,
    delaySeconds: retry?.delaySeconds ?? 0,
    backoff: retry?.backoff ?? null,
    jitter: retry?.jitter ?? null,
  };
}

function askNextSteps(
  pieces: Pick<OrchestrationPieces, 'nextSteps'>,
  options: Parameters<OrchestrationPieces['nextSteps']>[0],
): NextSteps {
  const decision = pieces.nextSteps(options);
  if (!decision || !Array.isArray(decision.start) || !Array.isArray(decision.skip)) {
    throw new CliError(`nextSteps returned ${JSON.stringify(decision)}, not { start: [...], skip: [...] }.`, {
      hint: piecesHint,
    });
  }
  return decision;
}

/** A learner's piece that answers wrong is told how, before anything runs on that answer. */
function checkDecision(
  decision: NextSteps,
  state: {
    plan: RunPlan;
    status: Record<string, StepState>;
    blocked: ReadonlyMap<string, string>;
    running: number;
    concurrency: number;
  },
): void {
  const { status } = state;
  const fail = (message: string) => {
    throw new CliError(`nextSteps ${message}`, { hint: piecesHint });
  };
  const depsOf = new Map(state.plan.steps.map((step) => [step.key, step.deps]));
  const seen = new Set<string>();
  const skipped = new Set<string>();
  for (const entry of decision.skip) {
    const key = entry?.key;
    if (!depsOf.has(key)) fail(`skipped ${JSON.stringify(key)}, which is not a step of this run.`);
    if (status[key] !== 'pending') fail(`skipped ${key}, which is ${status[key]}, not pending.`);
    if (seen.has(key)) fail(`skipped ${key} twice.`);
    seen.add(key);
    skipped.add(key);
  }
  const stops = (key: string) =>
    status[key] === 'failed' || status[key] === 'skipped' || state.blocked.has(key) || skipped.has(key);
  for (const { key, because } of decision.skip) {
    if (!depsOf.has(because)) fail(`skipped ${key} because of ${JSON.stringify(because)}, which is not a step.`);
    if (!stops(because)) fail(`skipped ${key} because of ${because}, which has not failed (it is ${status[because]}).`);
    if (!ancestors(key, depsOf).has(because))
      fail(`skipped ${key} because of ${because}, which is not upstream of it.`);
  }
  const free = Math.max(0, state.concurrency - state.running);
  if (decision.start.length > free) {
    fail(`started ${decision.start.length} steps with ${free} of ${state.concurrency} slots free.`);
  }
  for (const key of decision.start) {
    if (!depsOf.has(key)) fail(`started ${JSON.stringify(key)}, which is not a step of this run.`);
    if (status[key] !== 'pending' || seen.has(key)) fail(`started ${key}, which is ${status[key]}, not pending.`);
    seen.add(key);
    for (const dep of depsOf.get(key) ?? []) {
      if (status[dep] !== 'succeeded') fail(`started ${key} before ${dep}, which it is built from, succeeded.`);
      if (state.blocked.has(dep)) fail(`started ${key}, but a blocking check of ${dep} failed.`);
    }
  }
}

function ancestors(key: string, depsOf: ReadonlyMap<string, readonly string[]>): Set<string> {
  const found = new Set<string>();
  const walk = (at: string) => {
    for (const dep of depsOf.get(at) ?? []) {
      if (found.has(dep)) continue;
      found.add(dep);
      walk(dep);
    }
  };
  walk(key);
  return found;
}

function askRetryDelay(
  pieces: Pick<OrchestrationPieces, 'retryDelay'>,
  policy: RetryDelayPolicy,
  attempt: number,
  random: () => number,
): number | null {
  const delay = pieces.retryDelay(policy, attempt, random);
  if (delay === null) return null;
  if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0) {
    throw new CliError(
      `retryDelay returned ${JSON.stringify(delay)} for attempt ${attempt} of ${JSON.stringify(policy)}: a wait must be a number of seconds ≥ 0, or null.`,
      { hint: retryHint },
    );
  }
  return delay;
}

/** The run's status and its one-line message, from its steps. */
function verdict(steps: readonly StepOutcome[], canceled: string | undefined): Pick<RunOutcome, 'status' | 'message'> {
  const failed = steps.filter((step) => step.status === 'failed');
  const skipped = steps.filter((step) => step.status === 'skipped');
  const blocked = steps.filter((step) => step.blocked);
  const done = steps.length - failed.length - skipped.length;
  const counts = `${done} of ${steps.length} steps succeeded${failed.length ? `, ${failed.length} failed` : ''}${skipped.length ? `, ${skipped.length} skipped` : ''}`;
  if (canceled !== undefined) return { status: 'CANCELED', message: `${canceled.replace(/\.?$/, '.')} ${counts}.` };
  if (failed.length === 0 && blocked.length === 0) return { status: 'SUCCESS', message: `${counts}.` };
  const first = failed[0] ?? blocked[0];
  return { status: 'FAILURE', message: `${counts}. ${first?.key}: ${first?.message ?? 'failed'}` };
}

/** A step for people: its key, and for a multi-asset what it builds. */
export function describeStep(step: PlannedStep | undefined): string {
  if (!step) return 'a step';
  if (!step.multi) return step.key;
  const keys = step.assets.map((asset) => asset.key);
  const shown = keys.length <= 2 ? keys.join(', ') : `${keys[0]} and ${keys.length - 1} more`;
  return `${step.key} (${shown})`;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

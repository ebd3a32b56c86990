import { log } from '@clack/prompts';
import {
  type CommandContext,
  countOf,
  defineCommand,
  type Io,
  type OptionSpecs,
  type OptionValues,
  positiveInteger,
  renderTable,
  UsageError,
  writeLine,
} from '@mart/shared';
import type { RetryPolicy } from '../assets/define-asset.ts';
import { loadCoursePipeline } from '../materializers/course-pipeline.ts';
import { lakeClock } from '../materializers/lake-clock.ts';
import { type BackfillPolicy, backfillPolicy } from '../partitions/backfill-policy.ts';
import { loadOrchestrationPieces } from '../pieces.ts';
import type { RunOutcome } from '../run/execute-run.ts';
import { materializeRun } from '../run/materialize-run.ts';
import { partitionStatus, planPartitionedRuns } from '../run/partitioned-runs.ts';
import { planRun } from '../run/plan.ts';
import { testHooks } from '../run/test-hooks.ts';
import { resolveSelection } from '../selection/resolve-selection.ts';
import { courseLineage } from './lineage-hook.ts';
import { openRunStorage } from './open-run-storage.ts';
import { planLine, progressPrinter, seconds } from './progress-lines.ts';

/** The options of `materialize` (and of the runs schedules and sensors launch). */
export const materializeOptions = {
  select: {
    type: 'string',
    short: 's',
    valueName: 'SELECTION',
    description:
      "Dagster's asset selection, e.g. '+key:dbt/fct_sales', 'group:marts', 'key:lake/* and not group:bronze'.",
    default: '*',
  },
  partition: {
    type: 'string',
    valueName: 'YYYY-MM-DD',
    description: 'One daily partition of the partitioned assets.',
  },
  from: { type: 'string', valueName: 'YYYY-MM-DD', description: 'Backfill: the first partition (with --to).' },
  to: { type: 'string', valueName: 'YYYY-MM-DD', description: 'Backfill: the last partition, included.' },
  force: {
    type: 'boolean',
    description: 'Partitions: run the materialized ones again too. Raw files: land them again even if unchanged.',
  },
  'backfill-policy': {
    type: 'string',
    valueName: 'POLICY',
    description:
      "How a range becomes runs: single_run (one run, one window) or multi_run:N (N days a run). Default the assets'.",
  },
  concurrency: { type: 'string', valueName: 'N', description: 'How many steps may run at once.', default: '4' },
  retries: {
    type: 'string',
    valueName: 'N',
    description: 'Retries of a failed step whose asset has no retry policy of its own.',
    default: '2',
  },
  'retry-delay': {
    type: 'string',
    valueName: 'SECONDS',
    description: 'Base wait before a retry (exponential backoff, ± the base as jitter).',
    default: '0.5',
  },
  wait: {
    type: 'string',
    valueName: 'SECONDS',
    description: 'Wait up to this long for another run holding some of the same assets; 0 refuses at once.',
    default: '0',
  },
  input: {
    type: 'string',
    valueName: 'DIR',
    description: "The raw files' folder (stage 2's four CSV files). Default data/seeds/stage-02.",
  },
  format: {
    type: 'string',
    choices: ['text', 'json'],
    default: 'text',
    description: 'json: one JSON document for scripts.',
  },
} as const satisfies OptionSpecs;

/** The parsed options, as a scheduler fills them for the runs it launches. */
export type MaterializeOptions = OptionValues<typeof materializeOptions>;

/** What launched a run besides a person at the terminal, stored with the run's config. */
export interface MaterializeLaunch {
  /** e.g. `{ schedule: 'nightly_build', tick: '2026-12-03T05:00:00.000Z' }`. */
  launchedBy?: Record<string, string>;
  /** Called with each run's id once it is created. */
  onRunStarted?: (runId: string) => void;
}

export const materialize = defineCommand({
  description:
    'Materialize assets (raw files → bronze → silver/gold → dbt models) in dependency order: retries, checks, live progress, run history.',
  options: materializeOptions,
  examples: [
    'pnpm stage 6 materialize',
    "pnpm stage 6 materialize --select '+key:dbt/fct_sales'",
    'pnpm stage 6 materialize --select group:marts --concurrency 2',
    'pnpm stage 6 materialize --partition 2025-01-03',
    'pnpm stage 6 materialize --from 2025-01-01 --to 2025-01-30',
    'MART_FAIL_ASSET=dbt/fct_sales pnpm stage 6 materialize',
    'pnpm stage 6 materialize --mine',
  ],
  async run(context) {
    return (await materializeAssets(context)).code;
  },
});

/**
 * The command's work, also called by the scheduler: plans the selection (one run, or
 * the runs of a partition range), executes them, prints progress and the summary.
 * Returns the exit code and each run's outcome.
 */
export async function materializeAssets(
  context: CommandContext<typeof materializeOptions>,
  launch: MaterializeLaunch = {},
): Promise<{ code: number; outcomes: RunOutcome[] }> {
  const { options, io, paths, mine, env } = context;
  const json = options.format === 'json';
  // With --format json the live lines go to stderr; stdout holds only the document.
  const output = json ? (io.error ?? io.output) : io.output;
  const concurrency = positiveInteger(options.concurrency, 'concurrency') ?? 4;
  const defaultRetry = retryOption(options.retries, options['retry-delay']);
  const lockWaitMs = secondsOption(options.wait, 'wait') * 1000;
  const policy = policyOption(options['backfill-policy']);
  const range = partitionOptions(options);

  const storage = openRunStorage(context);
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort('Ctrl-C');
  process.on('SIGINT', onSigint);
  const pipeline = await loadCoursePipeline({
    context,
    inputDir: options.input === undefined ? undefined : paths.resolve(options.input),
    forceIngest: options.force,
  });
  try {
    for (const warning of pipeline.course.warnings) log.warn(warning, { output });
    if (pipeline.unattachedTests.length > 0) {
      // dagster-dbt too attaches a test to one asset only; say which are left to dbt.
      log.warn(
        `Not run as asset checks: ${countOf(pipeline.unattachedTests.length, 'dbt test')} (${pipeline.unattachedTests
          .map((test) => `${test.uniqueId}: ${test.reason}`)
          .join('; ')}). Run them with: pnpm stage 5 test`,
        { output },
      );
    }
    const { graph } = pipeline;
    const pieces = await loadOrchestrationPieces(mine, paths);
    let keys = resolveSelection({ text: options.select, assets: graph.nodes(), pieces });
    const beforeAttempt = testHooks(env, graph, io);
    const lineage = courseLineage({ context, graph, course: pipeline.course, inputDir: pipeline.inputDir, pieces });
    const outcomes: RunOutcome[] = [];
    const common = {
      storage,
      pieces,
      concurrency,
      defaultRetry,
      lockWaitMs,
      signal: interrupt.signal,
      onProgress: progressPrinter(output),
      observer: lineage.observer,
      lifecycle: {
        runStarted: (run: Parameters<NonNullable<typeof lineage.lifecycle.runStarted>>[0]) => {
          lineage.lifecycle.runStarted?.(run);
          pipeline.lifecycle.runStarted?.(run);
        },
        runEnded: (...args: Parameters<NonNullable<typeof lineage.lifecycle.runEnded>>) => {
          lineage.lifecycle.runEnded?.(...args);
          pipeline.lifecycle.runEnded?.(...args);
        },
      },
      ...(beforeAttempt ? { beforeAttempt } : {}),
      config: {
        concurrency,
        retries: defaultRetry.maxRetries,
        retry_delay_seconds: defaultRetry.delaySeconds ?? 0,
        mine: mine.active,
        force: options.force,
        input: paths.shown(pipeline.inputDir),
        ...launch.launchedBy,
      },
    };
    let backfillId: string | undefined;

    if (range) {
      // A partitioned run: the partitioned assets of the selection (all of them by default).
      const partitioned = keys.filter((key) => graph.get(key).partitions);
      const left = keys.filter((key) => !graph.get(key).partitions);
      const all = graph
        .assets()
        .filter((asset) => asset.partitions)
        .map((asset) => asset.key);
      if (partitioned.length === 0) {
        throw new UsageError(
          `--${range.single ? 'partition' : 'from/--to'} needs partitioned assets, and the selection has none.`,
          {
            hint: `The partitioned assets: ${all.join(', ') || 'none'}. Select them, e.g. --select key:${all[0] ?? 'dbt/daily_revenue'}.`,
          },
        );
      }
      if (left.length > 0 && options.select !== '*') {
        log.warn(`Not partitioned, left out of this partitioned run: ${left.join(', ')}.`, { output });
      }
      keys = partitioned;
      const now = await lakeClock(context);
      if (!now) {
        throw new UsageError('No partition exists yet: the lake has no sales.', {
          hint: 'Build it first (pnpm stage 4 build), and add days with pnpm stage 5 generate --days 30.',
        });
      }
      const planned = planPartitionedRuns({
        storage,
        graph,
        assetKeys: keys,
        selection: options.select,
        from: range.from,
        to: range.to,
        force: options.force,
        now,
        pieces,
        policy,
      });
      backfillId = planned.backfill?.record.id;
      const done = planned.rangeKeys.length - planned.keys.length;
      const resumed = planned.backfill?.resumed
        ? `Resuming backfill ${planned.backfill.record.id.slice(0, 8)} (left unfinished): `
        : planned.backfill
          ? `Backfill ${planned.backfill.record.id.slice(0, 8)}: `
          : '';
      log.step(
        `${resumed}${countOf(planned.rangeKeys.length, 'partition')} of ${keys.join(', ')} from ${range.from} to ${range.to}: ` +
          `${planned.keys.length} to run${done > 0 ? `, ${done} already materialized or running (skipped${options.force ? '' : '; --force runs them again'})` : ''}` +
          `${planned.runs.length > 0 ? `, in ${countOf(planned.runs.length, 'run')} (${describePolicy(planned.policy)})` : ''}.`,
        { output },
      );
      const plan = planRun(graph, keys, pipeline.planOptions);
      for (const [i, partitionRun] of planned.runs.entries()) {
        const what =
          partitionRun.partitionKeys.length === 1
            ? partitionRun.range.start
            : `${partitionRun.range.start} … ${partitionRun.range.end}`;
        log.step(`Run ${i + 1} of ${planned.runs.length}: partitions ${what}, ${planLine(plan.steps, concurrency)}.`, {
          output,
        });
        const outcome = await materializeRun({
          ...common,
          plan,
          selection: options.select,
          partitionKeys: partitionRun.partitionKeys,
          ...(backfillId ? { backfillId } : {}),
          onStarted: (run) => {
            log.info(`Run ${run.id} started.`, { output });
            launch.onRunStarted?.(run.id);
          },
        });
        outcomes.push(outcome);
        summarize(outcome, context, output);
        if (outcome.status === 'CANCELED') break;
      }
      if (backfillId) {
        // Done when every partition of the range is materialized now (by this backfill or before it).
        const status = partitionStatus(storage, planned.assets, planned.rangeKeys);
        const missing = planned.rangeKeys.filter((key) => status[key] !== 'materialized');
        const canceled = outcomes.some((outcome) => outcome.status === 'CANCELED');
        storage.finishBackfill(backfillId, missing.length === 0 ? 'COMPLETED' : canceled ? 'CANCELED' : 'FAILED');
        const shown = missing.length <= 5 ? missing.join(', ') : `${missing.slice(0, 5).join(', ')}…`;
        log.info(
          `Backfill ${backfillId.slice(0, 8)}: ${planned.rangeKeys.length - missing.length} of ${planned.rangeKeys.length} partitions materialized` +
            `${missing.length > 0 ? `; not yet: ${shown} (the same command again runs what is missing or failed)` : ''}.`,
          { output },
        );
      }
    } else {
      const plan = planRun(graph, keys, pipeline.planOptions);
      if (plan.external.length > 0) {
        log.info(`External (made outside the orchestrator, observed, not materialized): ${plan.external.join(', ')}.`, {
          output,
        });
      }
      if (plan.steps.length === 0) {
        log.warn(`Nothing to materialize: "${options.select}" selects no asset that the orchestrator builds.`, {
          output,
        });
        if (json) writeLine(io, JSON.stringify({ runs: [] }, null, 2));
        return { code: 0, outcomes: [] };
      }
      log.step(`Materializing ${planLine(plan.steps, concurrency)}.`, { output });
      const outcome = await materializeRun({
        ...common,
        plan,
        selection: options.select,
        onStarted: (run) => {
          log.info(`Run ${run.id} started.`, { output });
          launch.onRunStarted?.(run.id);
        },
      });
      outcomes.push(outcome);
      summarize(outcome, context, output);
    }

    const lineageLine = await lineage.close();
    if (lineageLine) log.info(lineageLine, { output });
    if (json) writeLine(io, JSON.stringify({ backfillId: backfillId ?? null, runs: outcomes }, null, 2));
    // Ctrl-C: 130 (128 + SIGINT), as every stage's commands exit when interrupted.
    const code = interrupt.signal.aborted ? 130 : outcomes.every((outcome) => outcome.status === 'SUCCESS') ? 0 : 1;
    return { code, outcomes };
  } finally {
    process.off('SIGINT', onSigint);
    await pipeline.close();
    storage.close();
  }
}

/** The table of assets and the verdict line, after a run. */
function summarize(outcome: RunOutcome, context: Pick<CommandContext, 'color'>, output: Io['output']): void {
  const rows = outcome.steps.flatMap((step) =>
    step.assetKeys.map((asset) => ({
      asset,
      status: step.blocked ? 'blocked' : step.status,
      attempts: step.attempts,
      rows: step.assetRows[asset] ?? '',
      time: seconds(step.durationMs),
      note:
        step.status === 'succeeded' && !step.blocked
          ? step.key === asset
            ? ''
            : `step ${step.key}`
          : (step.message ?? ''),
    })),
  );
  log.message(renderTable(rows, { compact: true, color: context.color }), { output });
  const line = `Run ${outcome.runId}: ${outcome.status} in ${seconds(outcome.durationMs)}. ${outcome.message}`;
  const say = outcome.status === 'SUCCESS' ? log.success : outcome.status === 'CANCELED' ? log.warn : log.error;
  say(line, { output });
  log.info(`Its timeline: pnpm stage 6 runs show ${outcome.runId.slice(0, 8)}`, { output });
}

function describePolicy(policy: BackfillPolicy | undefined): string {
  if (!policy) return 'one run per partition';
  return policy.type === 'single_run'
    ? 'single_run: one window'
    : `multi_run: up to ${policy.maxPartitionsPerRun} a run`;
}

/** `--partition K` is the range K..K; `--from A --to B` a backfill. */
function partitionOptions(options: {
  partition: string | undefined;
  from: string | undefined;
  to: string | undefined;
}): { from: string; to: string; single: boolean } | undefined {
  const { partition, from, to } = options;
  if (partition !== undefined && (from !== undefined || to !== undefined)) {
    throw new UsageError('Give --partition, or --from and --to, not both.');
  }
  if (partition !== undefined) return { from: partition, to: partition, single: true };
  if ((from === undefined) !== (to === undefined)) {
    throw new UsageError('--from and --to go together.', { hint: 'e.g. --from 2025-01-01 --to 2025-01-30' });
  }
  return from !== undefined && to !== undefined ? { from, to, single: false } : undefined;
}

function secondsOption(value: string, name: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0) {
    throw new UsageError(`--${name} must be a number of seconds ≥ 0, not "${value}".`);
  }
  return number;
}

/** The run's default retry policy (Dagster's op_retry_policy): exponential backoff with ± jitter. */
function retryOption(retries: string, delay: string): RetryPolicy {
  const maxRetries = Number(retries);
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new UsageError(`--retries must be a whole number ≥ 0, not "${retries}".`);
  }
  const delaySeconds = secondsOption(delay, 'retry-delay');
  return delaySeconds > 0
    ? { maxRetries, delaySeconds, backoff: 'exponential', jitter: 'plus_minus' }
    : { maxRetries, delaySeconds: 0 };
}

function policyOption(value: string | undefined): BackfillPolicy | undefined {
  if (value === undefined) return undefined;
  if (value === 'single_run') return backfillPolicy.singleRun();
  const match = /^multi_run(?::(\d+))?$/.exec(value);
  const size = match?.[1] === undefined ? 1 : Number(match[1]);
  if (match && size >= 1) return backfillPolicy.multiRun(size);
  throw new UsageError(`--backfill-policy must be single_run or multi_run:N, not "${value}".`, {
    hint: 'single_run: the whole range in one run (one window); multi_run:7: runs of up to 7 days.',
  });
}

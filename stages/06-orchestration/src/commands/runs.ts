import { log } from '@clack/prompts';
import { type CommandContext, defineCommand, positiveInteger, renderTable, UsageError, writeLine } from '@mart/shared';
import type { RunStorage } from '../storage/run-storage.ts';
import type { RunRecord } from '../storage/types.ts';
import { openRunStorage } from './open-run-storage.ts';
import { seconds } from './progress-lines.ts';

export const runs = defineCommand({
  description:
    'Run history: `runs` lists recent runs, `runs show <id>` one run’s timeline, `runs cancel <id>` stops a run.',
  usage: '[show <id> | cancel <id>]',
  options: {
    limit: { type: 'string', valueName: 'N', description: 'How many recent runs to list.', default: '20' },
    logs: { type: 'boolean', description: 'show: also every log line the steps wrote (stage 4 build’s output…).' },
    format: { type: 'string', choices: ['text', 'json'], default: 'text', description: 'json: for scripts.' },
  },
  examples: [
    'pnpm stage 6 runs',
    'pnpm stage 6 runs show 1c9e4a2b',
    'pnpm stage 6 runs show 1c9e4a2b --logs',
    'pnpm stage 6 runs cancel 1c9e4a2b',
  ],
  withoutMine: true,
  async run(context) {
    const [action, id, ...extra] = context.positionals;
    if (extra.length > 0)
      throw new UsageError(`Unexpected ${extra.join(' ')}.`, { hint: 'pnpm stage 6 runs show <id>' });
    const storage = openRunStorage(context);
    try {
      if (action === undefined || action === 'list') return listRuns(storage, context);
      if (action !== 'show' && action !== 'cancel') {
        throw new UsageError(`Unknown runs action "${action}".`, {
          hint: 'pnpm stage 6 runs, runs show <id>, runs cancel <id>',
        });
      }
      if (id === undefined)
        throw new UsageError(`runs ${action} needs a run id (or its first characters).`, {
          hint: 'pnpm stage 6 runs lists them.',
        });
      const run = findRun(storage, id);
      return action === 'show' ? showRun(storage, run, context) : cancelRun(storage, run, context);
    } finally {
      storage.close();
    }
  },
});

type RunsContext = CommandContext & {
  options: { limit: string; logs: boolean; format: string };
};

function findRun(storage: RunStorage, id: string): RunRecord {
  let run: RunRecord | undefined;
  try {
    run = storage.findRun(id);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!run) throw new UsageError(`No run has the id ${id}.`, { hint: 'pnpm stage 6 runs lists the recent ones.' });
  return run;
}

/** The run's duration so far (or in all), in seconds. */
function duration(run: RunRecord, now = Date.now()): number | undefined {
  if (!run.startedAt) return undefined;
  return (run.endedAt ? Date.parse(run.endedAt) : now) - Date.parse(run.startedAt);
}

function partitionsOf(run: RunRecord): string {
  if (run.partitionKey) return run.partitionKey;
  if (run.range) return `${run.range.from} … ${run.range.to}`;
  return '';
}

function listRuns(storage: RunStorage, context: RunsContext): number {
  const limit = positiveInteger(context.options.limit, 'limit') ?? 20;
  const records = storage.runs({ limit });
  const rows = records.map((run) => {
    const steps = storage.steps(run.id);
    const count = (status: string) => steps.filter((step) => step.status === status).length;
    return {
      id: run.id,
      status: run.status,
      started: run.startedAt ?? run.createdAt,
      duration: duration(run),
      done: count('SUCCESS'),
      failed: count('FAILURE'),
      skipped: count('SKIPPED'),
      assets: steps.length,
      selection: run.selection,
      partitions: partitionsOf(run),
    };
  });
  if (context.options.format === 'json') {
    writeLine(context.io, JSON.stringify(rows, null, 2));
    return 0;
  }
  if (rows.length === 0) {
    log.info('No runs yet. Start one: pnpm stage 6 materialize', { output: context.io.output });
    return 0;
  }
  log.message(
    renderTable(
      rows.map((row) => ({
        run: row.id.slice(0, 8),
        status: row.status,
        started: row.started.replace('T', ' ').slice(0, 19),
        duration: seconds(row.duration),
        done: row.done,
        failed: row.failed,
        skipped: row.skipped,
        selection: row.selection,
        partitions: row.partitions,
      })),
      { compact: true, color: context.color },
    ),
    { output: context.io.output },
  );
  log.info('One run’s timeline: pnpm stage 6 runs show <run>', { output: context.io.output });
  return 0;
}

function showRun(storage: RunStorage, run: RunRecord, context: RunsContext): number {
  const output = context.io.output;
  const steps = storage.steps(run.id);
  const events = storage.events(run.id);
  const materializations = storage.materializations({ runId: run.id }).reverse();
  const checks = storage.checkResults({ runId: run.id }).reverse();
  const logs = context.options.logs ? storage.logs(run.id) : [];
  if (context.options.format === 'json') {
    writeLine(context.io, JSON.stringify({ run, steps, events, materializations, checks, logs }, null, 2));
    return 0;
  }
  const start = Date.parse(run.createdAt);
  const since = (time: string) => `+${((Date.parse(time) - start) / 1000).toFixed(1)}s`;
  log.message(
    [
      `Run ${run.id}: ${run.status}`,
      `  selection   ${run.selection}${partitionsOf(run) ? `  partitions ${partitionsOf(run)}` : ''}${run.backfillId ? `  backfill ${run.backfillId.slice(0, 8)}` : ''}`,
      `  process     PID ${run.pid ?? '?'} on ${run.host ?? '?'}`,
      `  started     ${run.startedAt ?? '(not started)'}${run.endedAt ? `, ended ${run.endedAt} (${seconds(duration(run))})` : ''}`,
      ...(run.statusMessage ? [`  message     ${run.statusMessage}`] : []),
      ...(Object.keys(run.config).length > 0 ? [`  config      ${JSON.stringify(run.config)}`] : []),
    ].join('\n'),
    { output },
  );
  const rowsOf = new Map<string, number>();
  for (const record of materializations) {
    if (record.rows !== undefined) rowsOf.set(record.assetKey, (rowsOf.get(record.assetKey) ?? 0) + record.rows);
  }
  log.message(
    renderTable(
      steps.map((step) => ({
        asset: step.assetKey,
        status: step.status,
        attempts: step.attempt,
        rows: rowsOf.get(step.assetKey) ?? '',
        time: step.startedAt && step.endedAt ? seconds(Date.parse(step.endedAt) - Date.parse(step.startedAt)) : '',
        checks: checksSummary(checks.filter((check) => check.assetKey === step.assetKey)),
        message: step.status === 'SUCCESS' && step.message === 'Succeeded.' ? '' : (step.message ?? ''),
      })),
      { compact: true, color: context.color },
    ),
    { output },
  );
  log.message(
    `Timeline (${events.length} events)\n${renderTable(
      events.map((event) => ({
        at: since(event.time),
        event: event.type,
        asset: event.assetKey ?? '',
        partition: event.partitionKey ?? '',
        message: event.message.length > 140 ? `${event.message.slice(0, 137)}…` : event.message,
      })),
      { compact: true, color: context.color },
    )}`,
    { output },
  );
  if (context.options.logs) {
    log.message(
      `Logs (${logs.length} lines)\n${logs.map((line) => `${since(line.time)} ${line.level.padEnd(5)} ${line.assetKey ?? ''}  ${line.message}`).join('\n')}`,
      { output },
    );
  } else {
    log.info(`The steps' log lines: pnpm stage 6 runs show ${run.id.slice(0, 8)} --logs`, { output });
  }
  return 0;
}

function checksSummary(checks: readonly { passed: boolean; blocking: boolean; severity: string }[]): string {
  if (checks.length === 0) return '';
  const failed = checks.filter((check) => !check.passed);
  if (failed.length === 0) return `${checks.length} passed`;
  const blocking = failed.filter((check) => check.blocking && check.severity === 'ERROR').length;
  return `${failed.length} of ${checks.length} failed${blocking > 0 ? ` (${blocking} blocking)` : ''}`;
}

function cancelRun(storage: RunStorage, run: RunRecord, context: RunsContext): number {
  const output = context.io.output;
  if (!storage.requestCancel(run.id, `Canceled by \`pnpm stage 6 runs cancel\` (PID ${process.pid}).`)) {
    log.warn(`Run ${run.id} has already ended (${run.status}): nothing to cancel.`, { output });
    return 1;
  }
  const now = storage.run(run.id);
  if (now?.status === 'CANCELED') {
    log.success(`Run ${run.id} had not started: canceled.`, { output });
  } else {
    log.success(
      `Cancel requested: run ${run.id} (PID ${run.pid ?? '?'}) starts no new step, tells the running ones to stop, and ends CANCELED.`,
      { output },
    );
    log.info(`Watch it end: pnpm stage 6 runs show ${run.id.slice(0, 8)}`, { output });
  }
  return 0;
}

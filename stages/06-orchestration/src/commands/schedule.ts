import { setTimeout as sleep } from 'node:timers/promises';
import { log } from '@clack/prompts';
import {
  type CommandContext,
  countOf,
  defineCommand,
  type Io,
  optionDefaults,
  positiveInteger,
  renderTable,
  UsageError,
} from '@mart/shared';
import { courseSchedules } from '../schedules/course-schedules.ts';
import { localTime, type ScheduleDefinition } from '../schedules/define-schedule.ts';
import { nextTick } from '../schedules/due-ticks.ts';
import {
  evaluateInstigators,
  type LaunchResult,
  type RunRequest,
  type TickOutcome,
} from '../schedules/evaluate-instigators.ts';
import { type InboxHashes, inboxDir, inboxSensorName } from '../schedules/inbox-sensor.ts';
import { activeRunStatuses } from '../storage/types.ts';
import { type MaterializeOptions, materializeAssets, materializeOptions } from './materialize.ts';
import { openRunStorage } from './open-run-storage.ts';

export const schedule = defineCommand({
  description:
    'Run the scheduler in the foreground: cron schedules and the data/inbox/ file sensor launch runs when due (Ctrl-C stops).',
  options: {
    once: { type: 'boolean', description: 'Evaluate every schedule and sensor once, launch what is due, and exit.' },
    now: {
      type: 'string',
      valueName: 'TIME',
      description: 'With --once: evaluate at this time instead of the clock, e.g. 2026-12-03T05:00:00Z.',
    },
    interval: {
      type: 'string',
      valueName: 'SECONDS',
      description: 'How often the foreground scheduler evaluates.',
      default: '30',
    },
    'max-catchup': {
      type: 'string',
      valueName: 'N',
      description: 'After downtime, how many of the missed ticks still launch (the newest); the rest are skipped.',
      default: '1',
    },
    list: { type: 'boolean', description: 'Show the schedules and sensors, their next tick and their latest ticks.' },
  },
  examples: [
    'pnpm stage 6 schedule',
    'pnpm stage 6 schedule --once',
    'pnpm stage 6 schedule --once --now 2026-12-03T05:00:00Z',
    'pnpm stage 6 schedule --list',
  ],
  async run(context) {
    const { options } = context;
    const maxCatchup = positiveInteger(options['max-catchup'], 'max-catchup') ?? 1;
    const intervalMs = positiveInteger(options.interval, 'interval') ?? 30;
    if (options.now !== undefined && !options.once) {
      throw new UsageError('--now goes with --once: the foreground scheduler follows the clock.', {
        hint: 'pnpm stage 6 schedule --once --now 2026-12-03T05:00:00Z',
      });
    }
    if (options.list) return listInstigators(context);
    const scheduler = courseScheduler(context, maxCatchup);
    try {
      if (options.once) {
        const now = options.now === undefined ? new Date() : parseNow(options.now);
        const outcomes = await scheduler.evaluate(now);
        return reportOnce(context, now, outcomes);
      }
      return await scheduler.runForeground(intervalMs * 1000);
    } finally {
      scheduler.close();
    }
  },
});

/** The course's scheduler: its schedules, the inbox sensor, and runs launched in this process. */
function courseScheduler(context: CommandContext, maxCatchup: number) {
  const { paths, io } = context;
  const output = io.output;
  const storage = openRunStorage(context);
  const stop = new AbortController();
  const hashes: InboxHashes = new Map();
  const launch = async (request: RunRequest, started: (runId: string) => void): Promise<LaunchResult> => {
    const runOptions: MaterializeOptions = {
      ...optionDefaults(materializeOptions),
      select: request.selection,
      input: request.inputDir,
      // A person can retry by hand; a scheduled run waits for one holding its assets.
      wait: '600',
    };
    const { code, outcomes } = await materializeAssets(
      { ...context, options: runOptions },
      { launchedBy: request.launchedBy, onRunStarted: started },
    );
    const last = outcomes.at(-1);
    if (!last) return { runId: undefined, status: 'SUCCESS', message: 'Nothing to materialize.' };
    const status = last.status === 'CANCELED' ? 'CANCELED' : code === 0 ? 'SUCCESS' : 'FAILURE';
    return { runId: last.runId, status, message: `Run ${last.runId.slice(0, 8)}: ${last.status}. ${last.message}` };
  };
  const evaluate = (now: Date) => {
    // A scheduler killed mid-run leaves its run and tick open: close them first.
    storage.markDeadRuns();
    storage.ticks.endAbandoned((runId) => activeRunStatuses.includes(storage.run(runId)?.status ?? 'SUCCESS'));
    return evaluateInstigators({
      storage,
      now,
      schedules: courseSchedules,
      inbox: { dir: inboxDir(paths), dimensionsDir: paths.seeds(2), paths, hashes },
      maxCatchup,
      launch,
      signal: stop.signal,
      say: (level, message) => log[level === 'info' ? 'info' : level](message, { output }),
    });
  };
  return {
    evaluate,
    async runForeground(intervalMs: number): Promise<number> {
      const onSigint = () => stop.abort();
      process.on('SIGINT', onSigint);
      try {
        log.step(
          `Scheduler started: ${describeInstigators(new Date(), paths.shown(inboxDir(paths)))}; evaluating every ${intervalMs / 1000} s. Ctrl-C stops.`,
          { output },
        );
        while (!stop.signal.aborted) {
          const outcomes = await evaluate(new Date());
          for (const outcome of outcomes) sayOutcome(outcome, output);
          await sleep(intervalMs, undefined, { signal: stop.signal }).catch(() => {});
        }
        log.success('Scheduler stopped.', { output });
        return 0;
      } finally {
        process.off('SIGINT', onSigint);
      }
    },
    close: () => storage.close(),
  };
}

/** `--now` must say its zone: `2026-12-03T06:00` alone would be read in this machine's. */
function parseNow(text: string): Date {
  const time = new Date(text);
  if (!/(Z|[+-]\d\d:?\d\d)$/i.test(text.trim()) || Number.isNaN(time.getTime())) {
    throw new UsageError(`--now must be a time with its zone, not "${text}".`, {
      hint: 'e.g. 2026-12-03T05:00:00Z, or 2026-12-03T06:00:00+01:00',
    });
  }
  return time;
}

function describeInstigators(now: Date, shownInbox: string): string {
  const schedules = courseSchedules.map(
    (s) => `${s.name} (${s.cron} ${s.timezone}, next ${describeTime(nextTick(s, now), s)})`,
  );
  return [...schedules, `${inboxSensorName} (new *.csv in ${shownInbox})`].join(', ');
}

function describeTime(time: Date | undefined, schedule: Pick<ScheduleDefinition, 'timezone'>): string {
  if (!time) return 'never';
  return `${time.toISOString()} = ${localTime(time, schedule.timezone)} ${schedule.timezone}`;
}

function sayOutcome(outcome: TickOutcome, output: Io['output']): void {
  const line = `${outcome.instigator} @ ${outcome.tickTime}: ${outcome.status}. ${outcome.message}`;
  if (outcome.status === 'SUCCESS') log.success(line, { output });
  else if (outcome.status === 'FAILURE') log.error(line, { output });
  else log.info(line, { output });
}

/** `--once`: what ran, what was skipped, and when the next tick is. */
function reportOnce(context: CommandContext, now: Date, outcomes: TickOutcome[]): number {
  const output = context.io.output;
  const launched = outcomes.filter((outcome) => outcome.status === 'SUCCESS' || outcome.status === 'FAILURE');
  const failed = launched.filter((outcome) => outcome.status === 'FAILURE');
  const skipped = outcomes.filter((outcome) => outcome.status === 'SKIPPED');
  if (outcomes.length > 0) {
    const rows = outcomes.map((outcome) => ({
      instigator: outcome.instigator,
      tick: outcome.tickTime,
      status: outcome.status,
      run: outcome.runId?.slice(0, 8) ?? '',
      note: outcome.message,
    }));
    log.message(renderTable(rows, { compact: true, color: context.color }), { output });
  }
  const next = courseSchedules.map((s) => `${s.name} at ${describeTime(nextTick(s, now), s)}`).join('; ');
  const summary =
    launched.length === 0 && skipped.length === 0
      ? `Nothing due at ${now.toISOString()}.`
      : `At ${now.toISOString()}: ${countOf(launched.length, 'run')} launched (${launched.length - failed.length} succeeded, ${failed.length} failed), ${countOf(skipped.length, 'tick')} skipped.`;
  const say = failed.length > 0 ? log.error : log.success;
  say(`${summary} Next: ${next}.`, { output });
  if (failed.length > 0) log.info('What failed, step by step: pnpm stage 6 runs', { output });
  return failed.length > 0 ? 1 : 0;
}

/** `--list`: each schedule and sensor, its next tick, its latest ticks. */
function listInstigators(context: CommandContext): number {
  const output = context.io.output;
  const storage = openRunStorage(context);
  try {
    const now = new Date();
    const rows = [
      ...courseSchedules.map((s) => ({
        name: s.name,
        type: 'schedule',
        what: `${s.cron} (${s.timezone}) → ${s.selection}`,
      })),
      {
        name: inboxSensorName,
        type: 'sensor',
        what: `new *.csv in ${context.paths.shown(inboxDir(context.paths))} → ingest and downstream`,
      },
    ].map((instigator) => {
      const s = courseSchedules.find((schedule) => schedule.name === instigator.name);
      // After a `--once --now` in the future, the next tick is after that time, not the clock's.
      const cursor = storage.ticks.cursor(instigator.name);
      const from = cursor && new Date(cursor) > now ? new Date(cursor) : now;
      const latest = storage.ticks.ticks(instigator.name, { limit: 3 });
      return {
        ...instigator,
        next: s ? describeTime(nextTick(s, from), s) : 'each evaluation',
        'latest ticks': latest.length
          ? latest
              .map(
                (tick) =>
                  `${tick.tickTime} ${tick.status}${tick.runId ? ` run ${tick.runId.slice(0, 8)}` : ''}${tick.runKey ? ` ${tick.runKey.split('@')[0]}` : ''}`,
              )
              .join('\n')
          : 'none yet',
      };
    });
    log.message(renderTable(rows, { color: context.color }), { output });
    log.info('Start the scheduler with `pnpm stage 6 schedule`, or tick once with `pnpm stage 6 schedule --once`.', {
      output,
    });
    return 0;
  } finally {
    storage.close();
  }
}

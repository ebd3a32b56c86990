import { countOf } from '@mart/shared';
import type { RunStorage } from '../storage/run-storage.ts';
import type { InstigatorType, TickRecord } from '../storage/tick-store.ts';
import { localTime, type ScheduleDefinition } from './define-schedule.ts';
import { dueTicks } from './due-ticks.ts';
import { batchInputDir, type InboxFile, type InboxHashes, inboxSensorName, scanInbox } from './inbox-sensor.ts';

/** A run a schedule or sensor asks for (Dagster's RunRequest). */
export interface RunRequest {
  instigator: string;
  type: InstigatorType;
  /** What the run materializes, in the selection syntax. */
  selection: string;
  /** The raw files' folder for the run; default the seeds. */
  inputDir?: string;
  /** Stored with the run's config: which schedule tick or file launched it. */
  launchedBy: Record<string, string>;
  /** One line for the terminal: why this run. */
  reason: string;
}

/** What a launched run ended as. */
export interface LaunchResult {
  runId: string | undefined;
  status: 'SUCCESS' | 'FAILURE' | 'CANCELED';
  message: string;
}

/** One tick's outcome, for the terminal and for tests. */
export interface TickOutcome {
  instigator: string;
  tickTime: string;
  status: 'SUCCESS' | 'FAILURE' | 'SKIPPED' | 'CLAIMED_ELSEWHERE';
  runId?: string | undefined;
  message: string;
}

/** Options for {@link evaluateInstigators}. */
export interface EvaluateOptions {
  storage: RunStorage;
  now: Date;
  schedules: readonly ScheduleDefinition[];
  /**
   * The inbox sensor's folders (the drop folder, where the dimension files come from),
   * and the file hashes it remembers between evaluations.
   */
  inbox: { dir: string; dimensionsDir: string; paths: { data: string }; hashes?: InboxHashes };
  /** Catch-up: how many of a schedule's missed ticks still launch (the newest). */
  maxCatchup: number;
  /**
   * Runs the request to its end (the scheduler runs one at a time, in this process),
   * calling `started` with the run's id as soon as it has one.
   */
  launch(request: RunRequest, started: (runId: string) => void): Promise<LaunchResult>;
  /** A line for the terminal. */
  say(level: 'info' | 'warn' | 'error', message: string): void;
  /** Ctrl-C: launch nothing more. */
  signal?: AbortSignal;
}

/**
 * One evaluation of every schedule and sensor at `now` (what the scheduler does every
 * interval, and `schedule --once` does once): each tick is claimed in storage before its
 * run is launched, so it launches at most once, whoever else is evaluating.
 */
export async function evaluateInstigators(options: EvaluateOptions): Promise<TickOutcome[]> {
  const outcomes: TickOutcome[] = [];
  for (const schedule of options.schedules) {
    if (options.signal?.aborted) break;
    outcomes.push(...(await evaluateSchedule(schedule, options)));
  }
  if (!options.signal?.aborted) outcomes.push(...(await evaluateInbox(options)));
  return outcomes;
}

async function evaluateSchedule(schedule: ScheduleDefinition, options: EvaluateOptions): Promise<TickOutcome[]> {
  const { storage, now, maxCatchup } = options;
  const stored = storage.ticks.cursor(schedule.name);
  const after = stored === undefined ? undefined : new Date(stored);
  if (after !== undefined && after >= now) return [];
  const due = dueTicks(schedule, { after, now, maxCatchup });
  const outcomes: TickOutcome[] = [];
  const reason = `missed while the scheduler was not running; catch-up launches only the newest ${countOf(maxCatchup, 'tick')}`;
  for (const tick of due.missed) {
    if (storage.ticks.claim({ instigator: schedule.name, type: 'schedule', tickTime: tick, skipped: reason })) {
      outcomes.push({ instigator: schedule.name, tickTime: tick.toISOString(), status: 'SKIPPED', message: reason });
    }
  }
  if (due.missed.length > 0) {
    options.say(
      'warn',
      `${schedule.name}: ${countOf(due.missed.length, 'tick')} ${reason} (a build makes the current state: older ticks would build the same).`,
    );
  }
  // The cursor moves before the runs: a tick is claimed once, so a restart never relaunches it.
  storage.ticks.setCursor(schedule.name, 'schedule', due.cursor.toISOString());
  for (const tick of due.launch) {
    if (options.signal?.aborted) break;
    const claimed = storage.ticks.claim({ instigator: schedule.name, type: 'schedule', tickTime: tick });
    const tickTime = tick.toISOString();
    if (!claimed) {
      outcomes.push({
        instigator: schedule.name,
        tickTime,
        status: 'CLAIMED_ELSEWHERE',
        message: 'Another scheduler launched this tick.',
      });
      continue;
    }
    const local = localTime(tick, schedule.timezone);
    outcomes.push(
      await launchTick(claimed, options, {
        instigator: schedule.name,
        type: 'schedule',
        selection: schedule.selection,
        launchedBy: { schedule: schedule.name, tick: tickTime },
        reason: `${schedule.name}: the tick of ${local} ${schedule.timezone} (${tickTime}), selection ${schedule.selection}`,
      }),
    );
  }
  return outcomes;
}

async function evaluateInbox(options: EvaluateOptions): Promise<TickOutcome[]> {
  const { storage, now, inbox } = options;
  const outcomes: TickOutcome[] = [];
  storage.ticks.setCursor(inboxSensorName, 'sensor', now.toISOString());
  for (const file of scanInbox(inbox.dir, inbox.hashes)) {
    if (options.signal?.aborted) break;
    if (storage.ticks.hasRunKey(inboxSensorName, file.runKey)) continue;
    const claimed = storage.ticks.claim({
      instigator: inboxSensorName,
      type: 'sensor',
      tickTime: now,
      runKey: file.runKey,
    });
    if (!claimed) continue;
    let inputDir: string;
    try {
      inputDir = batchInputDir({ file, dimensionsDir: inbox.dimensionsDir, paths: inbox.paths });
    } catch (error) {
      const message = (error as Error).message;
      storage.ticks.finish(claimed.id, 'FAILURE', message);
      options.say('error', `${inboxSensorName}: ${message}`);
      const hint = (error as { hint?: string }).hint;
      if (hint) options.say('info', hint);
      outcomes.push({ instigator: inboxSensorName, tickTime: now.toISOString(), status: 'FAILURE', message });
      continue;
    }
    outcomes.push(await launchTick(claimed, options, batchRequest(file, inputDir)));
  }
  return outcomes;
}

/** A batch file's run: every asset, with the batch as the sales of the raw files. */
function batchRequest(file: InboxFile, inputDir: string): RunRequest {
  return {
    instigator: inboxSensorName,
    type: 'sensor',
    selection: '*',
    inputDir,
    launchedBy: { sensor: inboxSensorName, file: file.name, sha256: file.sha256 },
    reason: `${inboxSensorName}: new batch ${file.name} (${file.sha256.slice(0, 12)}), ingested with the seeds' dimensions, then every asset downstream`,
  };
}

async function launchTick(tick: TickRecord, options: EvaluateOptions, request: RunRequest): Promise<TickOutcome> {
  const { storage } = options;
  options.say('info', `Launching: ${request.reason}.`);
  let result: LaunchResult;
  try {
    // The run id goes in as soon as the run exists: a scheduler killed mid-run leaves a
    // tick that names its (then dead) run.
    result = await options.launch(request, (runId) => storage.ticks.launched(tick.id, runId));
  } catch (error) {
    // A run that could not even start (its selection, the lake locked …): the tick says why.
    result = { runId: undefined, status: 'FAILURE', message: (error as Error).message };
  }
  if (result.runId) storage.ticks.launched(tick.id, result.runId);
  storage.ticks.finish(tick.id, result.status === 'SUCCESS' ? 'SUCCESS' : 'FAILURE', result.message);
  return {
    instigator: request.instigator,
    tickTime: tick.tickTime,
    status: result.status === 'SUCCESS' ? 'SUCCESS' : 'FAILURE',
    runId: result.runId,
    message: result.message,
  };
}

import type { ScheduleDefinition } from './define-schedule.ts';

/** What one evaluation of a schedule should do with the ticks since its cursor. */
export interface DueTicks {
  /** The ticks to launch a run for, oldest first. */
  launch: Date[];
  /** Older missed ticks, left out by the catch-up policy (recorded as SKIPPED). */
  missed: Date[];
  /** The cursor to store: the time this evaluation covered up to. */
  cursor: Date;
}

/** More missed ticks than this are not even listed one by one (a scheduler off for a year). */
const listedMissedTicks = 100;

/**
 * The ticks of `schedule` in (`after`, `now`]. With no cursor yet the schedule starts
 * now: a tick at exactly `now` is due, history is not. Catch-up: of the due ticks only
 * the newest `maxCatchup` launch; the older ones are missed (a build makes the current
 * state, so five missed nightly builds are one build now). Dagster's daemon has the
 * same setting, max_catchup_runs.
 *
 * @example
 * dueTicks(nightly, { after: new Date('2026-12-01T05:00:00Z'), now: new Date('2026-12-04T05:30:00Z'), maxCatchup: 1 });
 * // → launch [Dec 4 05:00], missed [Dec 2 05:00, Dec 3 05:00]
 */
export function dueTicks(
  schedule: Pick<ScheduleDefinition, 'pattern'>,
  options: { after: Date | undefined; now: Date; maxCatchup: number },
): DueTicks {
  const { now, maxCatchup } = options;
  const after = options.after ?? new Date(now.getTime() - 1);
  const due: Date[] = [];
  // croner's nextRun is strictly after the time it is given.
  for (let tick = schedule.pattern.nextRun(after); tick && tick <= now; tick = schedule.pattern.nextRun(tick)) {
    due.push(tick);
    if (due.length > listedMissedTicks + maxCatchup) due.shift();
  }
  const cut = Math.max(0, due.length - maxCatchup);
  return {
    launch: due.slice(cut),
    missed: due.slice(0, cut),
    cursor: new Date(Math.max(now.getTime(), after.getTime())),
  };
}

/** The first tick after `time`. */
export function nextTick(schedule: Pick<ScheduleDefinition, 'pattern'>, time: Date): Date | undefined {
  return schedule.pattern.nextRun(time) ?? undefined;
}

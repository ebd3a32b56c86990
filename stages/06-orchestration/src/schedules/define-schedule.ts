import { Cron } from 'croner';
import { AssetDefinitionError } from '../assets/asset-definition-error.ts';

/** A cron schedule over assets (Dagster's ScheduleDefinition with an asset selection). */
export interface ScheduleDefinition {
  name: string;
  /** Five fields, minute first: `0 6 * * *` is 06:00 every day. */
  cron: string;
  /** The IANA time zone the cron fields are read in (Dagster's execution_timezone). */
  timezone: string;
  /** The assets each tick materializes, in Dagster's selection syntax. */
  selection: string;
  description: string;
  /** croner's reading of `cron` in `timezone`: it steps over DST changes, not us. */
  readonly pattern: Cron;
}

/**
 * Declares a schedule, checking its cron expression and time zone now rather than at
 * the first tick.
 *
 * @example
 * defineSchedule({ name: 'nightly_build', cron: '0 6 * * *', timezone: 'Europe/Amsterdam', selection: '*',
 *   description: 'Every asset, each morning.' });
 */
export function defineSchedule(options: Omit<ScheduleDefinition, 'pattern'>): ScheduleDefinition {
  let pattern: Cron;
  try {
    // Without a function to call, croner only computes times: nothing is scheduled.
    pattern = new Cron(options.cron, { timezone: options.timezone });
    pattern.nextRun();
  } catch (error) {
    throw new AssetDefinitionError(
      `Schedule "${options.name}": "${options.cron}" in ${options.timezone} is not a cron schedule croner can read: ${(error as Error).message}`,
      {
        hint: 'Five fields, minute hour day-of-month month day-of-week, e.g. "0 6 * * *"; an IANA zone, e.g. "Europe/Amsterdam".',
      },
    );
  }
  return { ...options, pattern };
}

/** `time` as a wall clock in `timezone`, e.g. `2026-12-03 06:00:00` (the form cron fields are read in). */
export function localTime(time: Date, timezone: string): string {
  // Sweden's locale writes the ISO-like `YYYY-MM-DD HH:MM:SS`.
  return time.toLocaleString('sv-SE', { timeZone: timezone });
}

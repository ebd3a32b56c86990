import { defineSchedule, type ScheduleDefinition } from './define-schedule.ts';

/**
 * The course's schedules, declared beside its assets. The shop's nightly files are in by
 * morning, so every asset is built at 06:00 in Amsterdam: 05:00 UTC in winter, 04:00 UTC
 * in summer (croner moves the tick with daylight saving time).
 */
export const courseSchedules: readonly ScheduleDefinition[] = [
  defineSchedule({
    name: 'nightly_build',
    cron: '0 6 * * *',
    timezone: 'Europe/Amsterdam',
    selection: '*',
    description: 'Every asset, from the raw files to the dbt marts, each morning.',
  }),
];

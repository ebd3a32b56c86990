import { describe, expect, test } from 'vitest';
import { courseSchedules } from '../src/schedules/course-schedules.ts';
import { defineSchedule } from '../src/schedules/define-schedule.ts';
import { dueTicks, nextTick } from '../src/schedules/due-ticks.ts';

const iso = (dates: readonly Date[]) => dates.map((date) => date.toISOString());
const at = (text: string) => new Date(text);

describe('schedules', () => {
  const nightly = defineSchedule({
    name: 'nightly',
    cron: '0 6 * * *',
    timezone: 'Europe/Amsterdam',
    selection: '*',
    description: 'test',
  });

  test("06:00 in Amsterdam is 05:00 UTC in winter and 04:00 UTC in summer: the library's DST, across the change", () => {
    const due = dueTicks(nightly, {
      after: at('2026-03-27T12:00:00Z'),
      now: at('2026-03-31T12:00:00Z'),
      maxCatchup: 10,
    });
    expect(iso(due.launch)).toEqual([
      '2026-03-28T05:00:00.000Z',
      '2026-03-29T04:00:00.000Z',
      '2026-03-30T04:00:00.000Z',
      '2026-03-31T04:00:00.000Z',
    ]);
    expect(due.missed).toEqual([]);
    // And back in October.
    expect(nextTick(nightly, at('2026-10-25T12:00:00Z'))?.toISOString()).toBe('2026-10-26T05:00:00.000Z');
  });

  test('a local time that does not exist on the spring-forward day still ticks once that day', () => {
    const early = defineSchedule({
      name: 'early',
      cron: '30 2 * * *',
      timezone: 'Europe/Amsterdam',
      selection: '*',
      description: '',
    });
    const due = dueTicks(early, { after: at('2026-03-28T12:00:00Z'), now: at('2026-03-29T12:00:00Z'), maxCatchup: 5 });
    expect(due.launch).toHaveLength(1);
  });

  test('with no cursor the schedule starts now: a tick at exactly now is due, history is not', () => {
    expect(iso(dueTicks(nightly, { after: undefined, now: at('2026-12-03T05:00:00Z'), maxCatchup: 1 }).launch)).toEqual(
      ['2026-12-03T05:00:00.000Z'],
    );
    const later = dueTicks(nightly, { after: undefined, now: at('2026-12-03T05:00:01Z'), maxCatchup: 5 });
    expect(later.launch).toEqual([]);
    expect(later.missed).toEqual([]);
    expect(later.cursor.toISOString()).toBe('2026-12-03T05:00:01.000Z');
  });

  test('the cursor is exclusive: the tick it stopped at is not due again', () => {
    const due = dueTicks(nightly, {
      after: at('2026-12-03T05:00:00Z'),
      now: at('2026-12-04T04:59:59Z'),
      maxCatchup: 1,
    });
    expect(due.launch).toEqual([]);
  });

  test('catch-up after downtime: the newest max-catchup ticks launch, the older ones are missed', () => {
    const options = { after: at('2026-12-01T06:00:00Z'), now: at('2026-12-06T05:30:00Z') };
    const one = dueTicks(nightly, { ...options, maxCatchup: 1 });
    expect(iso(one.launch)).toEqual(['2026-12-06T05:00:00.000Z']);
    expect(iso(one.missed)).toEqual([
      '2026-12-02T05:00:00.000Z',
      '2026-12-03T05:00:00.000Z',
      '2026-12-04T05:00:00.000Z',
      '2026-12-05T05:00:00.000Z',
    ]);
    const three = dueTicks(nightly, { ...options, maxCatchup: 3 });
    expect(iso(three.launch)).toEqual([
      '2026-12-04T05:00:00.000Z',
      '2026-12-05T05:00:00.000Z',
      '2026-12-06T05:00:00.000Z',
    ]);
    expect(three.missed).toHaveLength(2);
  });

  test('a year of downtime on an hourly schedule lists at most 100 missed ticks', () => {
    const hourly = defineSchedule({
      name: 'hourly',
      cron: '0 * * * *',
      timezone: 'UTC',
      selection: '*',
      description: '',
    });
    const due = dueTicks(hourly, { after: at('2025-01-01T00:00:00Z'), now: at('2026-01-01T00:30:00Z'), maxCatchup: 1 });
    expect(iso(due.launch)).toEqual(['2026-01-01T00:00:00.000Z']);
    expect(due.missed).toHaveLength(100);
  });

  test('a bad cron expression or time zone fails when declared, naming the schedule', () => {
    expect(() =>
      defineSchedule({ name: 'bad', cron: '61 6 * * *', timezone: 'UTC', selection: '*', description: '' }),
    ).toThrow(/Schedule "bad": "61 6 \* \* \*" in UTC is not a cron schedule croner can read: .*minute/);
    expect(() =>
      defineSchedule({ name: 'mars', cron: '0 6 * * *', timezone: 'Mars/Olympus', selection: '*', description: '' }),
    ).toThrow(/Schedule "mars".*Mars\/Olympus/);
  });

  test("the course's nightly build: every asset at 06:00 Amsterdam time", () => {
    const [schedule] = courseSchedules;
    expect(schedule?.name).toBe('nightly_build');
    expect(schedule?.selection).toBe('*');
    expect(schedule && nextTick(schedule, at('2026-07-01T00:00:00Z'))?.toISOString()).toBe('2026-07-01T04:00:00.000Z');
  });
});

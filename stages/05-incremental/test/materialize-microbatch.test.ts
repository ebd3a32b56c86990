import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { NodeConfig } from '../src/manifest/types.ts';
import { readRunState } from '../src/run/run-state.ts';
import { buildManifest, fakeCompiler, model, type RuntimeFixture, runtimeFixture } from './helpers/runtime-nodes.ts';

// Microbatch models (§4.6): batches from the incrementalWindows piece, each compiled with
// its window and applied as delete-window + insert in its own transaction.
const raw = 'warehouse.main.raw_events';
const day = (d: number, hour = 10) =>
  `timestamp '2024-03-${String(d).padStart(2, '0')} ${String(hour).padStart(2, '0')}:00:00'`;

describe('microbatch', () => {
  let fx: RuntimeFixture;
  beforeEach(async () => {
    fx = await runtimeFixture('microbatch');
    await fx.db.run(`create table ${raw} (event_at timestamp, amount integer)`);
    // One event before begin, one per day from March 1st to 5th, one after "now".
    await fx.db.run(
      `insert into ${raw} values (timestamp '2024-02-29 10:00:00', 0), ${[1, 2, 3, 4, 5].map((d) => `(${day(d)}, ${d})`).join(', ')}, (${day(9)}, 9)`,
    );
  });
  afterEach(() => fx.close());

  const manifest = (config: Partial<NodeConfig> = {}, sql = "select event_at, amount from {{ ref('events') }}") =>
    buildManifest(fx.project, [
      model({ name: 'events', sql: `select * from ${raw}`, config: { materialized: 'table', event_time: 'event_at' } }),
      model({
        name: 'daily',
        sql,
        config: {
          materialized: 'incremental',
          incremental_strategy: 'microbatch',
          event_time: 'event_at',
          batch_size: 'day',
          begin: '2024-03-01',
          lookback: 1,
          ...config,
        },
      }),
      model({ name: 'downstream', sql: "select count(*) as n from {{ ref('daily') }}" }),
    ]);
  const amounts = async () =>
    (await fx.rows('select amount from warehouse.main.daily order by event_at')).map((r) => r.amount);
  const watermark = async () => (await readRunState(fx.db, 'warehouse', 'model.mart.daily'))[0]?.watermark;

  test('a first run processes every batch from begin to now, each compiled with its window', async () => {
    const m = manifest();
    const compiler = fakeCompiler(m);
    const { byName, events } = await fx.run(m, { compiler, now: new Date('2024-03-05T12:00:00Z') });
    const daily = byName.daily;
    expect(daily?.status).toBe('success');
    expect(daily?.message).toBe('OK (5 batches)');
    expect(daily?.batchResults).toEqual({
      successful: [1, 2, 3, 4, 5].map((d) => [`2024-03-0${d}T00:00:00Z`, `2024-03-0${d + 1}T00:00:00Z`]),
      failed: [],
    });
    expect(daily?.rowsAffected).toBe(5);
    expect(await amounts()).toEqual([1, 2, 3, 4, 5]);
    expect(await watermark()).toBe('2024-03-06T00:00:00Z');
    const batches = compiler.calls.filter((call) => call.node === 'daily' && call.eventTimeWindow);
    expect(batches.map((call) => [call.eventTimeWindow?.start, call.isIncremental])).toEqual([
      ['2024-03-01T00:00:00Z', false],
      ['2024-03-02T00:00:00Z', true],
      ['2024-03-03T00:00:00Z', true],
      ['2024-03-04T00:00:00Z', true],
      ['2024-03-05T00:00:00Z', true],
    ]);
    expect(
      events
        .filter((e) => e.type === 'batch')
        .map((e) => (e.type === 'batch' ? `${e.batch}/${e.batches} ${e.status}` : '')),
    ).toEqual(['1/5 success', '2/5 success', '3/5 success', '4/5 success', '5/5 success']);
  });

  test('later runs start lookback batches before the watermark; late rows inside the lookback are picked up', async () => {
    await fx.run(manifest(), { now: new Date('2024-03-05T12:00:00Z') });
    // A late event for March 5th (inside the lookback) and one for March 2nd (outside it).
    await fx.db.run(`insert into ${raw} values (${day(5, 20)}, 50), (${day(2, 20)}, 20), (${day(6)}, 6)`);
    const { byName } = await fx.run(manifest(), { now: new Date('2024-03-06T12:00:00Z') });
    expect(byName.daily?.batchResults?.successful).toEqual([
      ['2024-03-05T00:00:00Z', '2024-03-06T00:00:00Z'],
      ['2024-03-06T00:00:00Z', '2024-03-07T00:00:00Z'],
    ]);
    expect(await amounts()).toEqual([1, 2, 3, 4, 5, 50, 6]);
    expect(await watermark()).toBe('2024-03-07T00:00:00Z');

    // --event-time-start/--event-time-end re-run exactly that window; the watermark stays.
    const explicit = await fx.run(manifest(), {
      now: new Date('2024-03-06T12:00:00Z'),
      eventTimeStart: '2024-03-02',
      eventTimeEnd: '2024-03-03',
    });
    expect(explicit.byName.daily?.batchResults?.successful).toEqual([['2024-03-02T00:00:00Z', '2024-03-03T00:00:00Z']]);
    expect(await amounts()).toEqual([1, 2, 20, 3, 4, 5, 50, 6]);
    expect(await watermark()).toBe('2024-03-07T00:00:00Z');

    // Re-running the same batch changes nothing, and the result equals a full refresh.
    const again = await fx.rows('select * from warehouse.main.daily order by all');
    await fx.run(manifest(), { now: new Date('2024-03-06T12:00:00Z') });
    expect(await fx.rows('select * from warehouse.main.daily order by all')).toEqual(again);
    await fx.run(manifest(), { now: new Date('2024-03-06T12:00:00Z'), fullRefresh: true });
    expect(await fx.rows('select * from warehouse.main.daily order by all')).toEqual(again);
  });

  test('a failing batch gives partial success; the watermark stops before it, and the next run retries it', async () => {
    await fx.db.run(`insert into ${raw} values (${day(3, 12)}, -1)`);
    const failing = manifest(
      {},
      "select event_at, case when amount < 0 then error('negative amount') else amount end as amount from {{ ref('events') }}",
    );
    const { byName, events } = await fx.run(failing, { now: new Date('2024-03-05T12:00:00Z') });
    const daily = byName.daily;
    expect(daily?.status).toBe('partial success');
    expect(daily?.message?.split('\n')[0]).toBe('PARTIAL SUCCESS (4/5)');
    expect(daily?.message).toContain('batch 2024-03-03T00:00:00Z – 2024-03-04T00:00:00Z:');
    expect(daily?.message).toContain('negative amount');
    expect(daily?.failures).toBe(1);
    expect(daily?.batchResults?.failed).toEqual([['2024-03-03T00:00:00Z', '2024-03-04T00:00:00Z']]);
    expect(daily?.batchResults?.successful).toHaveLength(4);
    expect(byName.downstream?.status).toBe('skipped');
    expect(events.some((e) => e.type === 'batch' && e.status === 'error')).toBe(true);
    expect(await amounts()).toEqual([1, 2, 4, 5]);
    expect(await watermark()).toBe('2024-03-03T00:00:00Z');

    // Fixed: the next run starts one batch before the watermark and fills the gap.
    await fx.db.run(`delete from ${raw} where amount < 0`);
    const retry = await fx.run(failing, { now: new Date('2024-03-05T12:00:00Z') });
    expect(retry.byName.daily?.status).toBe('success');
    expect(retry.byName.daily?.batchResults?.successful[0]).toEqual(['2024-03-02T00:00:00Z', '2024-03-03T00:00:00Z']);
    expect(await amounts()).toEqual([1, 2, 3, 4, 5]);
    expect(await watermark()).toBe('2024-03-06T00:00:00Z');
  });

  test('every batch failing is an error', async () => {
    const { byName } = await fx.run(manifest({}, "select event_at, nope from {{ ref('events') }}"), {
      now: new Date('2024-03-02T12:00:00Z'),
    });
    expect(byName.daily?.status).toBe('error');
    expect(byName.daily?.batchResults?.failed).toHaveLength(2);
    expect(
      await fx.rows("select count(*)::int as n from information_schema.tables where table_name = 'daily'"),
    ).toEqual([{ n: 0 }]);
  });

  test('dbt’s config errors: batch_size, begin, event_time', async () => {
    const run = async (config: Partial<NodeConfig>) =>
      (await fx.run(manifest(config), { now: new Date('2024-03-02T00:00:00Z') })).byName.daily?.message;
    expect(await run({ batch_size: null })).toContain(
      "Microbatch model 'daily' does not have a 'batch_size' config (one of ['hour', 'day', 'month', 'year']) specified.",
    );
    expect(await run({ begin: null })).toContain("Microbatch model 'daily' requires a 'begin' configuration.");
    expect(await run({ event_time: null })).toContain(
      "Microbatch model 'daily' requires an 'event_time' configuration.",
    );
  });

  test('begin in the future: no batches, an empty table so dependents build', async () => {
    const { byName } = await fx.run(manifest({ begin: '2030-01-01' }), { now: new Date('2024-03-05T00:00:00Z') });
    expect(byName.daily?.message).toBe('OK (no batches to run)');
    expect(byName.downstream?.status).toBe('success');
    expect(await fx.rows('select * from warehouse.main.downstream')).toEqual([{ n: 0 }]);
  });

  test('--event-time-start without --event-time-end is a usage error', async () => {
    await expect(fx.run(manifest(), { eventTimeStart: '2024-03-01' })).rejects.toThrow(
      '--event-time-start and --event-time-end must be given together.',
    );
  });
});

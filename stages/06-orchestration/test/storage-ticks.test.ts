import { join } from 'node:path';
import { tempDir } from '@mart/shared/testing';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { RunStorage } from '../src/storage/index.ts';

describe('the tick storage', () => {
  const dir = tempDir('stage-06-ticks');
  afterAll(() => dir.remove());
  let n = 0;
  const fresh = () => join(dir.path, `runs-${++n}.db`);

  test('a schedule tick is claimed once, even by two storages on the same file (two schedulers)', () => {
    const path = fresh();
    const a = RunStorage.open({ path });
    const b = RunStorage.open({ path });
    try {
      const tickTime = new Date('2026-12-03T05:00:00Z');
      const first = a.ticks.claim({ instigator: 'nightly_build', type: 'schedule', tickTime });
      const second = b.ticks.claim({ instigator: 'nightly_build', type: 'schedule', tickTime });
      expect(first?.status).toBe('STARTED');
      expect(second).toBeUndefined();
      // Another tick time is another tick.
      expect(
        b.ticks.claim({ instigator: 'nightly_build', type: 'schedule', tickTime: new Date('2026-12-04T05:00:00Z') }),
      ).toBeDefined();
      expect(a.ticks.ticks('nightly_build').map((tick) => tick.tickTime)).toEqual([
        '2026-12-04T05:00:00.000Z',
        '2026-12-03T05:00:00.000Z',
      ]);
    } finally {
      a.close();
      b.close();
    }
  });

  test('a sensor run key is claimed once, whatever the evaluation time; a new key is a new tick', () => {
    const storage = RunStorage.open({ path: fresh() });
    try {
      const claim = (runKey: string, time: string) =>
        storage.ticks.claim({ instigator: 'inbox_sensor', type: 'sensor', tickTime: new Date(time), runKey });
      expect(claim('a.csv@1111', '2026-12-03T05:00:00Z')).toBeDefined();
      expect(claim('a.csv@1111', '2026-12-03T05:00:30Z')).toBeUndefined();
      expect(storage.ticks.hasRunKey('inbox_sensor', 'a.csv@1111')).toBe(true);
      expect(claim('a.csv@2222', '2026-12-03T05:00:30Z')).toBeDefined();
      // Two files seen in one evaluation share its time.
      expect(claim('b.csv@3333', '2026-12-03T05:00:30Z')).toBeDefined();
    } finally {
      storage.close();
    }
  });

  test('cursor, launched run, end status; a skipped tick is stored ended with its reason', () => {
    const storage = RunStorage.open({ path: fresh() });
    try {
      expect(storage.ticks.cursor('nightly_build')).toBeUndefined();
      storage.ticks.setCursor('nightly_build', 'schedule', '2026-12-03T05:00:00.000Z');
      storage.ticks.setCursor('nightly_build', 'schedule', '2026-12-04T05:00:00.000Z');
      expect(storage.ticks.cursor('nightly_build')).toBe('2026-12-04T05:00:00.000Z');
      const run = storage.createRun({ selection: '*', assetKeys: ['a'] });
      const tick = storage.ticks.claim({
        instigator: 'nightly_build',
        type: 'schedule',
        tickTime: new Date('2026-12-04T05:00:00Z'),
      });
      storage.ticks.launched(tick?.id ?? 0, run.id);
      storage.ticks.finish(tick?.id ?? 0, 'SUCCESS', 'Run ok.');
      const skipped = storage.ticks.claim({
        instigator: 'nightly_build',
        type: 'schedule',
        tickTime: new Date('2026-12-02T05:00:00Z'),
        skipped: 'missed',
      });
      expect(skipped?.status).toBe('SKIPPED');
      expect(skipped?.endedAt).toBeDefined();
      const [latest] = storage.ticks.ticks('nightly_build', { limit: 2 }).filter((t) => t.status === 'SUCCESS');
      expect(latest).toMatchObject({ runId: run.id, status: 'SUCCESS', message: 'Run ok.' });
    } finally {
      storage.close();
    }
  });

  test("a tick left STARTED by a dead scheduler is ended as FAILURE; a running run's tick is left alone", () => {
    let clock = new Date('2026-12-03T05:00:00Z');
    const storage = RunStorage.open({ path: fresh(), now: () => clock });
    try {
      const live = storage.createRun({ selection: '*', assetKeys: ['a'] });
      const dead = storage.createRun({ selection: '*', assetKeys: ['a'] });
      storage.finishRun(dead.id, 'FAILURE', 'Its process died.');
      const claim = (hour: number) =>
        storage.ticks.claim({ instigator: 's', type: 'schedule', tickTime: new Date(`2026-12-0${hour}T05:00:00Z`) });
      const running = claim(1);
      const died = claim(2);
      const launching = claim(3);
      storage.ticks.launched(running?.id ?? 0, live.id);
      storage.ticks.launched(died?.id ?? 0, dead.id);
      const active = (runId: string) => storage.run(runId)?.status === 'QUEUED';
      expect(storage.ticks.endAbandoned(active)).toBe(1);
      // A minute later, the tick that never got a run is abandoned too.
      clock = new Date('2026-12-03T05:01:01Z');
      expect(storage.ticks.endAbandoned(active)).toBe(1);
      const status = new Map(storage.ticks.ticks('s').map((tick) => [tick.id, tick.status]));
      expect(status.get(running?.id ?? 0)).toBe('STARTED');
      expect(status.get(died?.id ?? 0)).toBe('FAILURE');
      expect(status.get(launching?.id ?? 0)).toBe('FAILURE');
    } finally {
      storage.close();
    }
  });

  test('a run storage written before the scheduler existed (version 1) gains its tables', () => {
    const path = fresh();
    RunStorage.open({ path }).close();
    const db = new Sqlite(path);
    db.exec('drop table ticks; drop table instigators;');
    db.pragma('user_version = 1');
    db.close();
    const storage = RunStorage.open({ path });
    try {
      expect(storage.ticks.claim({ instigator: 's', type: 'schedule', tickTime: new Date() })).toBeDefined();
    } finally {
      storage.close();
    }
  });
});

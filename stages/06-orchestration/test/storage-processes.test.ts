// The run storage across real processes: a run killed with kill -9, readers while
// another process writes, and two runs competing for the same assets. The other
// process is test/storage-child.ts; every wait is for something it says or writes,
// never a fixed sleep.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { AssetLockedError, RunStorage, thisHost } from '../src/storage/index.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

interface Child {
  process: ChildProcessWithoutNullStreams;
  /** Resolves with the first JSON line whose `event` is `name`. */
  said(name: string): Promise<Record<string, unknown>>;
  /** Resolves with the exit code (or the signal) once the process is gone and reaped. */
  exited: Promise<number | NodeJS.Signals>;
  stderr(): string;
}

const children: Child[] = [];

function start(scenario: string, ...args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/storage-child.ts', scenario, ...args], {
    cwd: packageDir,
    stdio: 'pipe',
  });
  const lines: Record<string, unknown>[] = [];
  const waiting: { name: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  let buffer = '';
  let errors = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\n'); end !== -1; end = buffer.indexOf('\n')) {
      const line = JSON.parse(buffer.slice(0, end)) as Record<string, unknown>;
      buffer = buffer.slice(end + 1);
      lines.push(line);
      for (const waiter of waiting.filter((w) => w.name === line.event)) waiter.resolve(line);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk;
  });
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.on('exit', (code, signal) => resolve(signal ?? code ?? -1));
  });
  const handle: Child = {
    process: child,
    said: (name) =>
      new Promise((resolve, reject) => {
        const seen = lines.find((line) => line.event === name);
        if (seen) return resolve(seen);
        waiting.push({ name, resolve });
        void exited.then((how) => reject(new Error(`child exited (${how}) before saying ${name}: ${errors}`)));
      }),
    exited,
    stderr: () => errors,
  };
  children.push(handle);
  return handle;
}

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mart-runs-'));
  db = join(dir, 'runs', 'runs.db');
});
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await child.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('a run killed with kill -9', () => {
  test('keeps its finished assets; the next command marks it failed, says why, and frees its locks', async () => {
    const child = start('killed-mid-run', db);
    const { runId } = (await child.said('b-started')) as { runId: string };
    child.process.kill('SIGKILL');
    expect(await child.exited).toBe('SIGKILL');

    const storage = RunStorage.open({ path: db });
    try {
      // Before anyone notices, the run still looks like it is going.
      expect(storage.run(runId)?.status).toBe('STARTED');
      expect(storage.assetLocks().map((lock) => lock.assetKey)).toEqual(['a', 'b', 'c']);

      const dead = storage.markDeadRuns();
      expect(dead).toEqual([
        {
          runId,
          pid: child.process.pid,
          host: thisHost(),
          status: 'FAILURE',
          reason: `its process (PID ${child.process.pid} on ${thisHost()}) is gone.`,
          unfinished: ['b', 'c'],
        },
      ]);
      const run = storage.run(runId);
      expect(run?.status).toBe('FAILURE');
      expect(run?.statusMessage).toContain('is gone');
      expect(run?.endedAt).toBeDefined();

      // What it finished is still there.
      expect(storage.materializations({ runId }).map((m) => [m.assetKey, m.rows])).toEqual([['a', 42]]);
      expect(storage.steps(runId).map((step) => [step.assetKey, step.status])).toEqual([
        ['a', 'SUCCESS'],
        ['b', 'FAILURE'],
        ['c', 'FAILURE'],
      ]);
      const timeline = storage.events(runId).map((event) => [event.type, event.assetKey ?? null]);
      expect(timeline).toEqual([
        ['RUN_ENQUEUED', null],
        ['LOCKS_ACQUIRED', null],
        ['RUN_START', null],
        ['STEP_START', 'a'],
        ['ASSET_MATERIALIZATION', 'a'],
        ['STEP_SUCCESS', 'a'],
        ['STEP_START', 'b'],
        ['STEP_FAILURE', 'b'],
        ['STEP_FAILURE', 'c'],
        ['RUN_FAILURE', null],
        ['LOCKS_RELEASED', null],
      ]);
      const failure = storage.events(runId).find((event) => event.type === 'RUN_FAILURE');
      expect(failure?.message).toBe(`its process (PID ${child.process.pid} on ${thisHost()}) is gone.`);

      // Marked once: the next command finds nothing more to do.
      expect(storage.markDeadRuns()).toEqual([]);

      // The next run continues: the locks are free and it can materialize b and c.
      const next = storage.createRun({ selection: 'key:b or key:c', assetKeys: ['b', 'c'] });
      await storage.acquireAssetLocks(next.id, next.assetKeys);
      expect(storage.assetLocks().map((lock) => lock.runId)).toEqual([next.id, next.id]);
    } finally {
      storage.close();
    }
  });
});

describe('readers while another process writes', () => {
  test('see committed writes as they land, never an error, while this process writes too', async () => {
    const writer = start('writer', db);
    const { runId } = (await writer.said('started')) as { runId: string };
    const reader = RunStorage.open({ path: db, busyTimeoutMs: 5000 });
    try {
      const seen: number[] = [];
      let writerDone = false;
      void writer.said('done').then(() => {
        writerDone = true;
      });
      // Read until five different partial counts were seen: proof that the reads
      // overlapped the other process's writes. Meanwhile, write logs from here.
      while (new Set(seen.filter((n) => n > 0)).size < 5 && !writerDone) {
        seen.push(reader.countMaterializations({ runId }));
        reader.log(runId, 'info', `reader saw ${seen.at(-1)} materializations`);
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(new Set(seen.filter((n) => n > 0)).size).toBeGreaterThanOrEqual(5);
      writer.process.stdin.write('stop\n');
      const { written } = (await writer.said('done')) as { written: number };
      expect(await writer.exited).toBe(0);

      // Counts only grow (each read sees a committed prefix), and all of it arrives.
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(reader.materializations({ runId })).toHaveLength(written);
      expect(reader.logs(runId)).toHaveLength(seen.length);
      expect(reader.run(runId)?.status).toBe('SUCCESS');
    } finally {
      reader.close();
    }
  });
});

describe('two runs on overlapping assets', () => {
  test('the second refuses at once, naming the run that holds the lock and its PID', async () => {
    const holder = start('hold-locks', db, 'a,b');
    const { runId: holderRun } = (await holder.said('locked')) as { runId: string };
    const storage = RunStorage.open({ path: db });
    try {
      const run = storage.createRun({ selection: 'key:b or key:c', assetKeys: ['b', 'c'] });
      const refusal = await storage.acquireAssetLocks(run.id, run.assetKeys).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(AssetLockedError);
      expect((refusal as AssetLockedError).message).toContain(
        `Asset b is being materialized by run ${holderRun} (PID ${holder.process.pid} on ${thisHost()}`,
      );
      expect((refusal as AssetLockedError).hint).toContain(`runs cancel ${holderRun}`);
      // All or nothing: c was not taken either.
      expect(storage.assetLocks().map((lock) => [lock.assetKey, lock.runId])).toEqual([
        ['a', holderRun],
        ['b', holderRun],
      ]);
    } finally {
      storage.close();
    }
  });

  test('the second can wait: it gets the locks right after the first releases them', async () => {
    const holder = start('hold-locks', db, 'a,b');
    await holder.said('locked');
    const waiter = start('wait-locks', db, 'b,c', '30000');
    const { runId: waiterRun } = (await waiter.said('waiting')) as { runId: string };
    // It is really blocked: no lock of its own while the holder lives.
    const storage = RunStorage.open({ path: db });
    try {
      expect(storage.assetLocks().some((lock) => lock.runId === waiterRun)).toBe(false);
      holder.process.stdin.write('release\n');
      await waiter.said('acquired');
      expect(await waiter.exited).toBe(0);
      const released = storage.eventsAfter().find((event) => event.type === 'LOCKS_RELEASED');
      const acquired = storage.events(waiterRun).find((event) => event.type === 'LOCKS_ACQUIRED');
      expect(acquired?.id).toBeGreaterThan(released?.id ?? Number.POSITIVE_INFINITY);
      expect(storage.run(waiterRun)?.status).toBe('SUCCESS');
    } finally {
      storage.close();
    }
  });

  test('a wait has a limit: then the same clear refusal', async () => {
    const holder = start('hold-locks', db, 'a');
    const { runId: holderRun } = (await holder.said('locked')) as { runId: string };
    const waiter = start('wait-locks', db, 'a', '300');
    const { message } = (await waiter.said('refused')) as { message: string };
    expect(await waiter.exited).toBe(3);
    expect(message).toMatch(/^Gave up after 0\.\d s waiting for a, still held by run /);
    expect(message).toContain(`${holderRun} (PID ${holder.process.pid}`);
  });

  test('a dead holder does not block anyone: its lock is released and its run marked failed', async () => {
    const holder = start('hold-locks', db, 'a,b');
    const { runId: holderRun } = (await holder.said('locked')) as { runId: string };
    holder.process.kill('SIGKILL');
    await holder.exited;
    const storage = RunStorage.open({ path: db });
    try {
      const run = storage.createRun({ selection: 'key:b', assetKeys: ['b'] });
      await storage.acquireAssetLocks(run.id, run.assetKeys);
      expect(storage.assetLocks().map((lock) => [lock.assetKey, lock.runId])).toEqual([['b', run.id]]);
      expect(storage.run(holderRun)?.status).toBe('FAILURE');
    } finally {
      storage.close();
    }
  });
});

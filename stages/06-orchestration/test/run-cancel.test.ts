// Canceling a run from ANOTHER process, as `pnpm stage 6 runs cancel <id>` does: the
// other process only writes CANCELING into the shared SQLite file; the executor notices,
// stops submitting, tells running steps through their AbortSignal, skips what is queued
// and ends the run CANCELED. Every wait is for an event: the step starting, the child
// answering, the run ending.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { OrchestrationPieces } from '../src/given/pieces.ts';
import { fakeClock } from '../src/run/clock.ts';
import { materializeRun } from '../src/run/materialize-run.ts';
import { planRun } from '../src/run/plan.ts';
import type { ProgressEvent } from '../src/run/progress.ts';
import { RunStorage } from '../src/storage/index.ts';
import { AssetGraph, fakeAsset, journal, referencePieces, ticks } from './helpers/fake-assets.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Runs test/helpers/cancel-run.ts in its own process; resolves with what it printed. */
function cancelFromAnotherProcess(path: string, runId: string): Promise<{ accepted: boolean; pid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/cancel-run.ts', path, runId], {
      cwd: packageDir,
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out));
      else reject(new Error(`cancel-run exited ${code}: ${err}`));
    });
  });
}

let dir: string;
let path: string;
let storage: RunStorage;
let pieces: OrchestrationPieces;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mart-cancel-'));
  path = join(dir, 'runs', 'runs.db');
  storage = RunStorage.open({ path });
  pieces = await referencePieces();
});
afterEach(() => {
  storage.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('runs cancel, from another process', () => {
  test('the running step is signalled, queued ones are skipped, the run ends CANCELED', async () => {
    const log = journal();
    let child: Promise<{ accepted: boolean; pid: number }> | undefined;
    const graph = new AssetGraph([
      fakeAsset(log, {
        key: 'slow',
        // Works until told to stop, as a long ingest would.
        work: (context) =>
          new Promise((_, reject) => {
            context.signal.addEventListener('abort', () => reject(new Error('stopped at a safe point')));
          }),
      }),
      fakeAsset(log, { key: 'after_slow', deps: ['slow'] }),
      fakeAsset(log, { key: 'after_that', deps: ['after_slow'] }),
    ]);
    const events: ProgressEvent[] = [];
    const outcome = await materializeRun({
      storage,
      plan: planRun(graph, graph.keys()),
      selection: '*',
      pieces,
      concurrency: 2,
      clock: fakeClock(),
      cancelPollMs: 10,
      onProgress: (event) => {
        events.push(event);
        if (event.type === 'step-started' && event.step === 'slow')
          child = cancelFromAnotherProcess(path, outcomeRunId());
      },
    });
    function outcomeRunId(): string {
      return storage.runs({ limit: 1 })[0]?.id ?? '';
    }
    const answer = await child;
    expect(answer?.accepted).toBe(true);
    expect(outcome.status).toBe('CANCELED');
    expect(outcome.steps.map((step) => [step.key, step.status])).toEqual([
      ['slow', 'failed'],
      ['after_slow', 'skipped'],
      ['after_that', 'skipped'],
    ]);
    expect(outcome.steps[0]?.message).toBe('Canceled while running: stopped at a safe point');
    expect(outcome.steps[1]?.message).toBe(`Skipped: Canceled by PID ${answer?.pid} (test).`);
    expect(events.some((event) => event.type === 'run-canceling')).toBe(true);
    const run = storage.run(outcome.runId);
    expect([run?.status, run?.statusMessage]).toEqual([
      'CANCELED',
      `Canceled by PID ${answer?.pid} (test). 0 of 3 steps succeeded, 1 failed, 2 skipped.`,
    ]);
    const types = storage.events(outcome.runId).map((event) => event.type);
    expect(types.indexOf('RUN_CANCELING')).toBeLessThan(types.indexOf('RUN_CANCELED'));
    expect(storage.assetLocks()).toEqual([]);
  });

  test('a step that finishes after the request is kept; nothing new starts', async () => {
    const log = journal();
    let runId = '';
    let child: Promise<unknown> | undefined;
    const graph = new AssetGraph([
      fakeAsset(log, {
        key: 'finishing',
        work: async () => {
          child = cancelFromAnotherProcess(path, runId);
          await child;
          // The request is in the file: wait (turn by turn) until this run sees it.
          while (storage.run(runId)?.status !== 'CANCELING') await ticks(1);
          return { rows: 5 };
        },
      }),
      fakeAsset(log, { key: 'next', deps: ['finishing'] }),
    ]);
    const outcome = await materializeRun({
      storage,
      plan: planRun(graph, graph.keys()),
      selection: '*',
      pieces,
      concurrency: 1,
      cancelPollMs: 10,
      onStarted: (run) => {
        runId = run.id;
      },
    });
    await child;
    expect(outcome.status).toBe('CANCELED');
    expect(outcome.steps.map((step) => [step.key, step.status])).toEqual([
      ['finishing', 'succeeded'],
      ['next', 'skipped'],
    ]);
    expect(storage.countMaterializations({ assetKey: 'finishing' })).toBe(1);
    expect(log.events).not.toContain('start:next');
  });

  test('Ctrl-C (an aborted signal) stops the run the same way', async () => {
    const log = journal();
    const interrupt = new AbortController();
    const graph = new AssetGraph([
      fakeAsset(log, {
        key: 'a',
        work: async () => {
          interrupt.abort('SIGINT');
          return { rows: 1 };
        },
      }),
      fakeAsset(log, { key: 'b', deps: ['a'] }),
    ]);
    const outcome = await materializeRun({
      storage,
      plan: planRun(graph, graph.keys()),
      selection: '*',
      pieces,
      concurrency: 1,
      signal: interrupt.signal,
    });
    expect(outcome.status).toBe('CANCELED');
    expect(outcome.message).toMatch(/^Interrupted: SIGINT/);
    expect(outcome.steps.map((step) => step.status)).toEqual(['succeeded', 'skipped']);
  });
});

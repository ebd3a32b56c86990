// A second process for the storage tests (storage-processes.test.ts): it writes to the
// run storage the way a `materialize` command does, and says what it did on stdout,
// one JSON line per step, so the test waits for a line instead of sleeping.
//
//   node --import tsx test/storage-child.ts <scenario> <db> [args…]
import { createInterface } from 'node:readline';
import { AssetLockedError, RunStorage } from '../src/storage/index.ts';

const [scenario, path, ...args] = process.argv.slice(2);
if (!scenario || !path) throw new Error('usage: storage-child.ts <scenario> <db> [args…]');

function say(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ event, pid: process.pid, ...fields })}\n`);
}

/** Resolves on the first stdin line equal to `word`. */
function heard(word: string): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  return new Promise((resolve) => {
    lines.on('line', (line) => {
      if (line.trim() === word) {
        // Stop reading stdin, or it keeps the process alive once the work is done.
        lines.close();
        process.stdin.destroy();
        resolve();
      }
    });
  });
}

/** Keeps the process alive until it is killed. */
function hang(): Promise<never> {
  setInterval(() => {}, 60_000);
  return new Promise<never>(() => {});
}

const storage = RunStorage.open({ path });
const assets = (list: string | undefined) => (list ?? '').split(',').filter(Boolean);

switch (scenario) {
  // Materializes `a`, starts `b`, then hangs until the test kills it (kill -9).
  case 'killed-mid-run': {
    const run = storage.createRun({ selection: '*', assetKeys: ['a', 'b', 'c'] });
    await storage.acquireAssetLocks(run.id, run.assetKeys);
    storage.startRun(run.id);
    storage.startHeartbeat(run.id, 100);
    storage.stepStarted(run.id, 'a');
    storage.recordMaterialization({ runId: run.id, assetKey: 'a', rows: 42, durationMs: 5 });
    storage.stepSucceeded(run.id, 'a');
    storage.stepStarted(run.id, 'b');
    say('b-started', { runId: run.id });
    await hang();
    break;
  }
  // Writes materializations as fast as it can until told `stop` (or `max` is reached).
  case 'writer': {
    const max = Number(args[0] ?? 20_000);
    const run = storage.createRun({ selection: '*', assetKeys: ['w'] });
    storage.startRun(run.id);
    say('started', { runId: run.id });
    let stop = false;
    void heard('stop').then(() => {
      stop = true;
    });
    let written = 0;
    while (!stop && written < max) {
      storage.recordMaterialization({ runId: run.id, assetKey: 'w', partitionKeys: [`p${written}`], rows: written });
      written += 1;
      // Let the stdin listener run now and then; each write is still its own transaction.
      if (written % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    storage.finishRun(run.id, 'SUCCESS');
    say('done', { runId: run.id, written });
    storage.close();
    break;
  }
  // Takes the locks of the assets, then holds them until told `release`.
  case 'hold-locks': {
    const run = storage.createRun({ selection: args[0] ?? '', assetKeys: assets(args[0]) });
    await storage.acquireAssetLocks(run.id, run.assetKeys);
    storage.startRun(run.id);
    say('locked', { runId: run.id });
    await heard('release');
    storage.finishRun(run.id, 'SUCCESS');
    say('released', { runId: run.id });
    storage.close();
    break;
  }
  // Waits up to args[1] ms for the locks of the assets.
  case 'wait-locks': {
    const run = storage.createRun({ selection: args[0] ?? '', assetKeys: assets(args[0]) });
    say('waiting', { runId: run.id });
    try {
      await storage.acquireAssetLocks(run.id, run.assetKeys, { waitMs: Number(args[1] ?? 30_000), pollMs: 20 });
    } catch (error) {
      if (!(error instanceof AssetLockedError)) throw error;
      storage.finishRun(run.id, 'FAILURE', error.message);
      say('refused', { runId: run.id, message: error.message });
      storage.close();
      process.exit(3);
    }
    storage.startRun(run.id);
    say('acquired', { runId: run.id });
    storage.finishRun(run.id, 'SUCCESS');
    storage.close();
    break;
  }
  default:
    throw new Error(`unknown scenario ${scenario}`);
}

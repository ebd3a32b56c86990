import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Io, writeNote } from '@mart/shared';

/** The environment variable of the hook below. Test-only: not a setting for learners. */
export const testPauseVariable = 'MART_TEST_PAUSE_BEFORE_COMMIT';

/**
 * TEST-ONLY hook. With MART_TEST_PAUSE_BEFORE_COMMIT=<file> a write command, once its
 * uploads are done and just before it commits (the snapshot row; an ingest's manifest),
 * says so on stderr and waits until <file> exists. A test can then send a real signal
 * exactly there, where a Ctrl-C costs the most, instead of guessing a delay. Unset (as
 * for every learner), it does nothing. The wait ends early when `signal` is aborted.
 *
 * @example
 * await commitSnapshot(session, work, { beforeCommit: testPauseBeforeCommit(context.env, io, interrupt.signal) });
 */
export function testPauseBeforeCommit(
  env: NodeJS.ProcessEnv,
  io: Io,
  signal: AbortSignal,
): (() => Promise<void>) | undefined {
  const release = env[testPauseVariable];
  if (!release) return undefined;
  return async () => {
    writeNote(io, `${testPauseVariable}: uploads done, waiting for ${release} before committing (test hook).`);
    while (!existsSync(release)) {
      signal.throwIfAborted();
      await sleep(20);
    }
  };
}

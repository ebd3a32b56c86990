import { describe, expect, test } from 'vitest';
import { retryConnectionLoss } from '../src/s3/retry-connection-loss.ts';

/** An error as the SDK gives one for a dropped socket: the code on its cause. */
function networkError(code: string): Error {
  return Object.assign(new Error('socket problem'), { cause: Object.assign(new Error(code), { code }) });
}

describe('retryConnectionLoss', () => {
  test('a connection dropped mid-request is sent again; the third try is the last', async () => {
    let calls = 0;
    const answer = await retryConnectionLoss(async () => {
      calls += 1;
      if (calls < 3) throw networkError(calls === 1 ? 'ECONNRESET' : 'EPIPE');
      return 'stored';
    });
    expect([answer, calls]).toEqual(['stored', 3]);

    let tries = 0;
    const error = await retryConnectionLoss(async () => {
      tries += 1;
      throw networkError('ECONNRESET');
    }).catch((e: unknown) => e);
    expect([(error as Error).message, tries]).toEqual(['socket problem', 3]);
  });

  test('a server that is not there, or any other error, fails at once', async () => {
    for (const error of [networkError('ECONNREFUSED'), new Error('NoSuchBucket')]) {
      let tries = 0;
      const thrown = await retryConnectionLoss(async () => {
        tries += 1;
        throw error;
      }).catch((e: unknown) => e);
      expect([thrown, tries]).toEqual([error, 1]);
    }
  });
});

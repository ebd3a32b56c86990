import { CliError } from '@mart/shared';
import type { AssetLockRecord } from './types.ts';

/**
 * Another live run holds the lock of an asset this run wants to materialize. Says which
 * run and which process, so the learner can wait for it, cancel it or kill it.
 *
 * @example
 * throw new AssetLockedError([lock], { waitedMs: undefined });
 */
export class AssetLockedError extends CliError {
  /** The locks in the way. */
  readonly holders: AssetLockRecord[];

  constructor(holders: AssetLockRecord[], options: { waitedMs: number | undefined }) {
    const first = holders[0];
    const assets = holders.map((lock) => lock.assetKey);
    const shown =
      assets.length <= 3 ? assets.join(', ') : `${assets.slice(0, 3).join(', ')} and ${assets.length - 3} more`;
    const who = first
      ? `run ${first.runId} (PID ${first.pid} on ${first.host}, since ${first.acquiredAt})`
      : 'another run';
    const message =
      options.waitedMs === undefined
        ? `${assets.length === 1 ? 'Asset' : 'Assets'} ${shown} ${assets.length === 1 ? 'is' : 'are'} being materialized by ${who}.`
        : `Gave up after ${(options.waitedMs / 1000).toFixed(1)} s waiting for ${shown}, still held by ${who}.`;
    super(message, {
      hint: `Wait for that run to finish (\`pnpm stage 6 runs show ${first?.runId ?? '<id>'}\`), cancel it with \`pnpm stage 6 runs cancel ${first?.runId ?? '<id>'}\`, or select assets it does not touch.`,
    });
    this.name = 'AssetLockedError';
    this.holders = holders;
  }
}

/** How many GETs and PUTs a lake command keeps in flight at once, unless MART_S3_CONCURRENCY says otherwise. */
export const defaultTransferConcurrency = 8;

/** Runs work with at most a fixed number of calls in flight; the others wait their turn, in order. */
export type TransferLimit = <T>(work: () => Promise<T>) => Promise<T>;

/**
 * A limiter for `limit` concurrent transfers. Callers may start as many as they like
 * (`Promise.all(keys.map((key) => limited(() => get(key))))`): the limiter holds the
 * extra ones back, so the server never sees more than `limit` requests from us at once.
 * Work must not call the same limiter from inside (it would wait for its own slot).
 *
 * @example
 * const limited = transferLimit(8);
 * await Promise.all(keys.map((key) => limited(() => store.get(key, pathOf(key)))));
 */
export function transferLimit(limit: number): TransferLimit {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`transferLimit: ${limit} is not a positive integer.`);
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    // A finished call hands its slot straight to the next waiting one, so a newcomer
    // can never slip in between and make it limit + 1.
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

/**
 * Waits for every promise, then throws the first rejection (in the order given) if any
 * failed. Unlike Promise.all, nothing is still running when it throws: what failed can
 * be cleaned up knowing every other transfer has finished too.
 *
 * @example
 * await settleAll(uploads); // every upload done or failed; throws the first failure
 */
export async function settleAll<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}

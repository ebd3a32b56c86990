import { setTimeout as sleep } from 'node:timers/promises';
import { networkProblem } from './explain-s3-error.ts';

/** A connection that broke mid-request: the server was there, so a new request may work. */
const lostConnection = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * Runs `request` again when its connection broke mid-way (ECONNRESET, EPIPE), up to
 * `attempts` times in all, waiting 100 ms, then 300 ms. The SDK retries most failures
 * itself but not a request whose body is a stream (an upload read from disk): under load
 * the embedded server does drop such a connection now and then. Objects are written once
 * under new keys, so sending one again is safe. A server that is not there at all
 * (ECONNREFUSED) fails at once, with its own clear message.
 *
 * @example
 * await retryConnectionLoss(() => client.send(new PutObjectCommand({ …, Body: createReadStream(path) })));
 */
export async function retryConnectionLoss<T>(request: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      const problem = networkProblem(error);
      if (attempt >= attempts || problem === undefined || !lostConnection.has(problem)) throw error;
      await sleep(100 * (2 * attempt - 1));
    }
  }
}

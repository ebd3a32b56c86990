// A Marquez-like OpenLineage endpoint on 127.0.0.1 for tests: it keeps every event
// POSTed to /api/v1/lineage (with its headers) and answers as the test says.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunEvent } from '../../src/given/index.ts';

/** One event the server accepted. */
export interface ReceivedEvent {
  headers: IncomingMessage['headers'];
  event: RunEvent;
}

/** A running lineage server. */
export interface LineageServer {
  /** `http://127.0.0.1:<port>`: what MART_OPENLINEAGE_URL is set to. */
  url: string;
  /** The events it answered 201 to, in the order they arrived. */
  received: ReceivedEvent[];
  /**
   * Resolves once `count` events have arrived: as soon as the request that makes it
   * `count` ends, not by polling. Rejects after `timeoutMs`, saying how many came.
   */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a lineage server. `answer` picks the status of the n-th request (0-based):
 * 201 accepts the event, another status refuses it, `'hang'` never answers.
 *
 * @example
 * const server = await startLineageServer();
 * runCliAsync(['stage', '6', 'materialize'], { MART_OPENLINEAGE_URL: server.url });
 * await server.waitFor(52);
 */
export async function startLineageServer(answer: (n: number) => number | 'hang' = () => 201): Promise<LineageServer> {
  const received: ReceivedEvent[] = [];
  const listeners = new Set<() => void>();
  let n = 0;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      const status = answer(n++);
      if (status === 'hang') return;
      if (request.url === '/api/v1/lineage' && request.method === 'POST' && status === 201) {
        received.push({ headers: request.headers, event: JSON.parse(body) as RunEvent });
        for (const listener of [...listeners]) listener();
      }
      response.writeHead(status, { 'Content-Type': 'application/json' }).end(status === 201 ? '' : '{"error":"boom"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    waitFor(count, timeoutMs = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (received.length < count) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`Timed out waiting for ${count} lineage events: ${received.length} arrived.`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

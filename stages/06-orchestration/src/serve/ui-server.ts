import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CommandContext } from '@mart/shared';
import { lineageDir } from '../lineage/emitter.ts';
import { runStoragePath } from '../storage/run-storage.ts';
import { assetsPage } from './assets-page.ts';
import { assetRows, type CourseGraph, loadCourseGraph } from './assets-view.ts';
import { html, type SafeHtml } from './html.ts';
import { lineagePage } from './lineage-page.ts';
import { lineageView } from './lineage-view.ts';
import { pageLayout } from './page-layout.ts';
import { eventPage, runDetail, runSummaries } from './runs-api.ts';
import { noRunsYet, runPage, runsPage } from './runs-pages.ts';
import { staticFile } from './static-files.ts';
import { StorageReader } from './storage-reader.ts';

/** Options for {@link startUiServer}. */
export interface UiServerOptions {
  /** Whose pieces load the course graph, where the data is, the environment. */
  context: Pick<CommandContext, 'mine' | 'paths' | 'env'>;
  /** The port; 0 picks a free one (see {@link UiServer.port}). */
  port: number;
  /** Told about a request that failed on the server (it answered 500). */
  onError?: (error: unknown) => void;
}

/** A running UI server. */
export interface UiServer {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** The port it listens on (the real one when asked for 0). */
  port: number;
  /** Stops listening, drops open connections and closes the run storage. */
  close(): Promise<void>;
}

/** Only this machine: the UI has no login, and reads the learner's files. */
const host = '127.0.0.1';

/** A user error in a request (a bad cursor, an unknown run): answered, not logged. */
class RequestError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const securityHeaders = {
  // Scripts and styles only from /static/: even a message that got into the page as
  // markup could not run.
  'content-security-policy': "default-src 'self'; img-src 'self' data:",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { 'content-type': type, ...securityHeaders });
  response.end(body);
}

const sendJson = (response: ServerResponse, status: number, value: unknown) =>
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value));

const sendPage = (response: ServerResponse, status: number, page: SafeHtml) =>
  send(response, status, 'text/html; charset=utf-8', page.text);

/** A whole number ≥ 0 from the query string, or `fallback` when absent. */
function cursorParam(url: URL, name: string, fallback: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new RequestError(400, `${name} must be a whole number of 0 or more, not "${raw}".`);
  }
  return value;
}

/**
 * Starts the read-only web UI over the run storage (data/runs/runs.db), the course's
 * asset graph and the lineage files (data/lineage/), on 127.0.0.1.
 *
 * Pages: `/` assets, `/runs` (live), `/runs/<id>` (live), `/lineage`. JSON: `/api/assets`,
 * `/api/runs`, `/api/events?after=<cursor>`, `/api/runs/<id>`, `/api/runs/<id>/events?after=<cursor>`,
 * `/api/lineage`.
 *
 * @example
 * const server = await startUiServer({ context, port: 0 });
 * console.log(server.url); // → http://127.0.0.1:41234/
 * await server.close();
 */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const { paths } = options.context;
  const reader = new StorageReader(runStoragePath(paths));
  // Loading the graph parses stage 5's project: start now, answer the Assets page when done.
  const course: Promise<CourseGraph | { error: string }> = loadCourseGraph(options.context).catch((error) => ({
    error: error instanceof Error ? error.message : String(error),
  }));

  const assets = async () => {
    const loaded = await course;
    return 'error' in loaded ? loaded : { rows: assetRows(loaded, reader) };
  };

  const routes: [RegExp, (match: RegExpMatchArray, url: URL, response: ServerResponse) => Promise<void> | void][] = [
    [/^\/$/, async (_, __, response) => sendPage(response, 200, assetsPage(await assets()))],
    [/^\/runs$/, (_, __, response) => sendPage(response, 200, runsPage({ storageExists: reader.exists() }))],
    [/^\/runs\/([^/]+)$/, (match, _, response) => sendPage(response, 200, runPage(decoded(match[1])))],
    [
      /^\/lineage$/,
      (_, __, response) =>
        sendPage(response, 200, lineagePage(lineageView(lineageDir(paths)), paths.shown(lineageDir(paths)))),
    ],
    [
      /^\/static\/([^/]+)$/,
      (match, _, response) => {
        const file = staticFile(match[1] ?? '');
        if (!file) throw new RequestError(404, 'No such file.');
        send(response, 200, file.type, file.body);
      },
    ],
    [
      /^\/api\/assets$/,
      async (_, __, response) => {
        const result = await assets();
        if ('error' in result) sendJson(response, 500, result);
        else sendJson(response, 200, { assets: result.rows });
      },
    ],
    [
      /^\/api\/runs$/,
      (_, url, response) => {
        const limit = Math.min(cursorParam(url, 'limit', 50) || 50, 500);
        sendJson(response, 200, {
          storage: reader.exists() ? 'ready' : 'missing',
          runs: reader.read((storage) => runSummaries(storage, limit), []),
          empty: noRunsYet,
        });
      },
    ],
    [
      /^\/api\/events$/,
      (_, url, response) => {
        const after = cursorParam(url, 'after', 0);
        const limit = Math.min(cursorParam(url, 'limit', 500) || 500, 5000);
        sendJson(
          response,
          200,
          reader.read((storage) => eventPage(storage, { after, limit }), { events: [], cursor: after, more: false }),
        );
      },
    ],
    [
      /^\/api\/runs\/([^/]+)$/,
      (match, _, response) => {
        const id = decoded(match[1]);
        const detail = reader.read((storage) => runDetail(storage, id), undefined);
        if (!detail) throw new RequestError(404, `No run has the id ${id}.`);
        sendJson(response, 200, detail);
      },
    ],
    [
      /^\/api\/runs\/([^/]+)\/events$/,
      (match, url, response) => {
        const runId = decoded(match[1]);
        const after = cursorParam(url, 'after', 0);
        const limit = Math.min(cursorParam(url, 'limit', 500) || 500, 5000);
        sendJson(
          response,
          200,
          reader.read((storage) => eventPage(storage, { after, runId, limit }), {
            events: [],
            cursor: after,
            more: false,
          }),
        );
      },
    ],
    [/^\/api\/lineage$/, (_, __, response) => sendJson(response, 200, lineageView(lineageDir(paths)))],
  ];

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', `http://${host}`);
    const isApi = url.pathname.startsWith('/api/');
    try {
      // A page in the learner's browser on another site must not read this one through
      // a hostname that resolves here (DNS rebinding): only our own names are answered.
      const hostname = (request.headers.host ?? '').replace(/:\d+$/, '');
      if (!['127.0.0.1', 'localhost'].includes(hostname)) throw new RequestError(403, 'Unknown host.');
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        throw new RequestError(405, 'This UI is read-only: only GET.');
      }
      for (const [pattern, route] of routes) {
        const match = url.pathname.match(pattern);
        if (match) return await route(match, url, response);
      }
      throw new RequestError(404, `Nothing at ${url.pathname}.`);
    } catch (error) {
      const status = error instanceof RequestError ? error.status : 500;
      if (status === 500) options.onError?.(error);
      const message = error instanceof Error ? error.message : String(error);
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (isApi) sendJson(response, status, { error: message });
      else {
        const title = status === 404 ? 'Not found' : status === 500 ? 'Something went wrong' : 'Not allowed';
        sendPage(
          response,
          status,
          pageLayout({ title, active: 'assets', body: html`<p class="error">${message}</p>` }),
        );
      }
    }
  };

  const server = createServer((request, response) => {
    void handle(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}/`,
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Browsers keep connections open: drop them, or close() waits for them to idle out.
      server.closeAllConnections();
      await closed;
      // Let a graph still loading finish before its resources are gone.
      await course;
      reader.close();
    },
  };
}

function decoded(part: string | undefined): string {
  try {
    return decodeURIComponent(part ?? '');
  } catch {
    throw new RequestError(400, 'A malformed address.');
  }
}

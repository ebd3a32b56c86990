// The few parts of s3rver 3.7 (which ships no types) that embedded-s3.ts uses.
// See node_modules/s3rver/lib/s3rver.js: an S3rver is a Koa application.
declare module 's3rver' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  namespace S3rver {
    interface Options {
      /** Where buckets and objects are stored as plain files. Default `<tmpdir>/s3rver`. */
      directory?: string;
      /** No request logging, and no Koa error logging. Default false. */
      silent?: boolean;
      /** Treat a Host header that is not an IP or localhost as a bucket name. Default true. */
      vhostBuckets?: boolean;
    }

    /** The part of a Koa context the list shim reads and writes. */
    interface Context {
      readonly method: string;
      /** Parsed query string; assigning it rewrites the request's query string. */
      query: Record<string, string | string[] | undefined>;
      status: number;
      type: string;
      /** A plain object here is encoded as XML by an earlier (outer) middleware. */
      body: unknown;
    }

    type Middleware = (ctx: Context, next: () => Promise<void>) => Promise<void>;
  }

  class S3rver {
    constructor(options?: S3rver.Options);
    /** Koa's middleware stack: logger, XML encoder, mount interop, vhost, router. */
    middleware: S3rver.Middleware[];
    /** A request listener for `http.createServer` (instead of `run()`, whose listen errors escape as uncaught exceptions). */
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
  }

  export = S3rver;
}

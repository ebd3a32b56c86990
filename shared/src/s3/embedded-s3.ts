/// <reference path="./s3rver.d.ts" />
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { CliError } from '../errors.ts';
import { listObjectsV2Shim } from './list-objects-v2-shim.ts';

/** A running embedded S3 server (s3rver) on the loopback interface. */
export interface EmbeddedS3 {
  /** `http://127.0.0.1:<port>`, for `createS3Client(config, endpoint)`. */
  endpoint: string;
  port: number;
  /** Where its buckets live as plain folders and files. */
  directory: string;
  /** Stops the server, cutting open connections (idempotent). */
  close(): Promise<void>;
}

export interface EmbeddedS3Options {
  /** Storage folder, created if missing (the lake's is `paths.lake()/s3`). */
  directory: string;
  /** TCP port on 127.0.0.1. Default 0: any free port. */
  port?: number;
}

/**
 * Starts s3rver on 127.0.0.1 (never reachable from other machines), silent, storing
 * its buckets under `directory`. It accepts the key pair `S3RVER` / `S3RVER` only and
 * does not verify SigV4 signatures. It creates no bucket: see `ensureBucket`.
 *
 * s3rver runs inside our own HTTP server (its `run()` turns "port in use" into an
 * uncaught exception), with `listObjectsV2Shim` so listings of more than 1000 keys work.
 *
 * @example
 * const server = await startEmbeddedS3({ directory: join(temp.path, 's3') });
 * try { … server.endpoint … } finally { await server.close(); }
 */
export async function startEmbeddedS3(options: EmbeddedS3Options): Promise<EmbeddedS3> {
  const directory = options.directory;
  const requestedPort = options.port ?? 0;
  mkdirSync(directory, { recursive: true });
  // Imported here, not at the top: s3rver (with koa and winston) takes ~150 ms to load,
  // and every command imports this package, most of them never starting a server.
  const { default: S3rver } = await import('s3rver');
  const app = new S3rver({ directory, silent: true, vhostBuckets: false });
  // [logger, xml encoder, mount interop, vhost, router]: the shim goes before the router.
  if (app.middleware.length !== 5) throw new Error('Unexpected s3rver version: cannot install the ListObjectsV2 shim.');
  app.middleware.splice(app.middleware.length - 1, 0, listObjectsV2Shim);

  const server = createServer(app.callback());
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(requestedPort, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
      throw new CliError(`Cannot start the embedded S3 server: port ${requestedPort} on 127.0.0.1 is in use.`, {
        hint: 'Another S3 server (or another program) is listening there: stop it or choose another port.',
        cause: error,
      });
    }
    throw error;
  }
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The embedded S3 server has no TCP address.');
  const { port } = address;
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    directory,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { type EmbeddedS3, type EmbeddedS3Options, startEmbeddedS3 } from './embedded-s3.ts';
import { ensureBucket } from './ensure-bucket.ts';
import { withS3Errors } from './explain-s3-error.ts';
import type { LakeConfig } from './lake-config.ts';
import { createS3Client } from './s3-client.ts';

/** A connected lake bucket: what every stage-4 command works with, then closes. */
export interface LakeStorage {
  client: S3Client;
  bucket: string;
  /** The server's address: the configured endpoint, or the embedded server's. */
  endpoint: string;
  embedded: boolean;
  config: LakeConfig;
  /** Destroys the client and stops the embedded server, if any (idempotent). */
  close(): Promise<void>;
}

/**
 * Connects to the lake's bucket. With the embedded config it starts s3rver on a free
 * loopback port (data under `embedded.directory`) and creates the
 * bucket if missing; with a configured endpoint it checks that the bucket exists.
 * Problems become `CliError`s that say what to check.
 *
 * @example
 * const storage = await openLakeStorage(readLakeConfig(env, paths.root), { directory: join(paths.lake(), 's3') });
 * try { await putBytes(storage, 'manifest.json', JSON.stringify({ version: 1 })); }
 * finally { await storage.close(); }
 */
export async function openLakeStorage(config: LakeConfig, embedded?: EmbeddedS3Options): Promise<LakeStorage> {
  let server: EmbeddedS3 | undefined;
  let endpoint = config.endpoint;
  if (config.embedded) {
    if (!embedded)
      throw new Error('openLakeStorage: an embedded config needs the folder for the server (embedded.directory).');
    server = await startEmbeddedS3(embedded);
    endpoint = server.endpoint;
  }
  if (endpoint === undefined) throw new Error('openLakeStorage: a config that is not embedded needs an endpoint.');
  const client = createS3Client(config, endpoint);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      client.destroy();
      await server?.close();
    })();
    return closing;
  };
  try {
    await withS3Errors({ ...config, endpoint }, async () => {
      if (server) await ensureBucket(client, config.bucket);
      else await client.send(new HeadBucketCommand({ Bucket: config.bucket }));
    });
  } catch (error) {
    await close();
    throw error;
  }
  return { client, bucket: config.bucket, endpoint, embedded: config.embedded, config, close };
}

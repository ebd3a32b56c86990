import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CliError } from '../errors.ts';
import { withS3Errors } from './explain-s3-error.ts';
import type { LakeStorage } from './open-lake-storage.ts';

/** What the object helpers need: a client, its bucket, and where it is (for messages). */
export type BucketAccess = Pick<LakeStorage, 'client' | 'bucket' | 'endpoint' | 'embedded'>;

/** DeleteObjects accepts at most this many keys per request. */
const deleteBatchSize = 1000;

/**
 * Uploads bytes (or a string, as UTF-8) as `key`.
 *
 * @example
 * await putBytes(storage, 'manifest.json', JSON.stringify({ version: 1 }));
 */
export async function putBytes(storage: BucketAccess, key: string, bytes: Uint8Array | string): Promise<void> {
  const body = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  await withS3Errors(
    storage,
    () =>
      storage.client.send(
        new PutObjectCommand({ Bucket: storage.bucket, Key: key, Body: body, ContentLength: body.byteLength }),
      ),
    key,
  );
}

/**
 * Downloads `key` to `localPath`, creating folders. Written to a temporary file in the
 * same folder and renamed, so `localPath` is never left half-written.
 *
 * @example
 * await getToFile(storage, 'tables/sales/part-0.parquet', join(temp.path, 'part-0.parquet'));
 */
export async function getToFile(storage: BucketAccess, key: string, localPath: string): Promise<void> {
  await mkdir(dirname(localPath), { recursive: true });
  const temp = `${localPath}.${randomUUID().slice(0, 8)}.part`;
  try {
    await withS3Errors(
      storage,
      async () => {
        const response = await storage.client.send(new GetObjectCommand({ Bucket: storage.bucket, Key: key }));
        const body = response.Body;
        if (!(body instanceof Readable)) throw new Error(`GetObject ${key}: expected a Node.js stream body.`);
        const file = createWriteStream(temp);
        await pipeline(body, file).catch(async (error: unknown) => {
          // A body that fails at once can fail before the file is even open: wait until the
          // stream has opened and closed it, or the cleanup below would run first and the
          // file appear after it, left behind in the cache.
          if (!file.closed) await once(file, 'close');
          throw error;
        });
        const written = (await stat(temp)).size;
        if (response.ContentLength !== undefined && written !== response.ContentLength) {
          throw new CliError(
            `Download of s3://${storage.bucket}/${key} stopped early: ${written} of ${response.ContentLength} bytes.`,
            {
              hint: 'Run the command again.',
            },
          );
        }
      },
      key,
    );
    await rename(temp, localPath);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * The content of `key`, in memory: for small objects such as manifests.
 *
 * @example
 * JSON.parse(Buffer.from(await getBytes(storage, 'manifest.json')).toString('utf8'))
 */
export async function getBytes(storage: BucketAccess, key: string): Promise<Uint8Array> {
  return withS3Errors(
    storage,
    async () => {
      const response = await storage.client.send(new GetObjectCommand({ Bucket: storage.bucket, Key: key }));
      if (response.Body === undefined) return new Uint8Array();
      return response.Body.transformToByteArray();
    },
    key,
  );
}

/**
 * Deletes the given keys, 1000 per request. Missing keys are not an error (S3 semantics);
 * keys the server refuses to delete are. Resolves to the number of keys sent.
 *
 * @example
 * await deleteObjects(storage, ['tmp/a.parquet', 'tmp/b.parquet']);
 */
export async function deleteObjects(storage: BucketAccess, keys: readonly string[]): Promise<number> {
  for (let start = 0; start < keys.length; start += deleteBatchSize) {
    const batch = keys.slice(start, start + deleteBatchSize);
    const response = await withS3Errors(storage, () =>
      storage.client.send(
        new DeleteObjectsCommand({
          Bucket: storage.bucket,
          Delete: { Objects: batch.map((key) => ({ Key: key })), Quiet: true },
        }),
      ),
    );
    const failed = response.Errors ?? [];
    const first = failed[0];
    if (first !== undefined) {
      throw new CliError(
        `Could not delete ${failed.length} object(s) from s3://${storage.bucket}, e.g. ${first.Key}: ${first.Code} ${first.Message ?? ''}`.trim(),
        { hint: 'Check that the access key may delete objects in this bucket.' },
      );
    }
  }
  return keys.length;
}

/**
 * Whether `key` exists (a HEAD request; a missing object is false, not an error).
 *
 * @example
 * await objectExists(storage, 'manifest.json') // → false on a fresh lake
 */
export async function objectExists(storage: BucketAccess, key: string): Promise<boolean> {
  return withS3Errors(
    storage,
    async () => {
      try {
        await storage.client.send(new HeadObjectCommand({ Bucket: storage.bucket, Key: key }));
        return true;
      } catch (error) {
        if (error instanceof Error && (error.name === 'NotFound' || error.name === 'NoSuchKey')) return false;
        throw error;
      }
    },
    key,
  );
}

// Uploading a file and listing keys are stage 4's upload-and-list exercise: the one
// implementation is the stage's pieces (solutions/04-lakehouse/upload-and-list.ts, or
// the learner's with --mine). These two names remain only because shared/src/index.ts
// still re-exports them; once it stops, delete both.

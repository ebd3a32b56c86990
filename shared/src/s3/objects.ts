import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { CliError } from '../errors.ts';
import { withS3Errors } from './explain-s3-error.ts';
import type { LakeStorage } from './open-lake-storage.ts';

/** What the object helpers need: a client, its bucket, and where it is (for messages). */
export type BucketAccess = Pick<LakeStorage, 'client' | 'bucket' | 'endpoint' | 'embedded'>;

/** One entry of `listObjects`. */
export interface ObjectInfo {
  key: string;
  /** Bytes. */
  size: number;
  lastModified: Date;
}

/** DeleteObjects accepts at most this many keys per request. */
const deleteBatchSize = 1000;

/**
 * Uploads a local file as `key`, streamed with its length set (one PUT: fine up to 5 GB).
 *
 * @example
 * await putFile(storage, 'tables/sales/part-0.parquet', '/tmp/part-0.parquet');
 */
export async function putFile(storage: BucketAccess, key: string, localPath: string): Promise<void> {
  const { size } = await stat(localPath);
  await withS3Errors(
    storage,
    () =>
      storage.client.send(
        new PutObjectCommand({
          Bucket: storage.bucket,
          Key: key,
          Body: createReadStream(localPath),
          ContentLength: size,
        }),
      ),
    key,
  );
}

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
        await pipeline(body, createWriteStream(temp));
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
 * Every object whose key starts with `prefix`, in key order, following continuation
 * tokens past S3's 1000 keys per page (`pageSize` lowers that, e.g. for tests).
 *
 * @example
 * await listObjects(storage, 'tables/sales/')
 * // → [{ key: 'tables/sales/part-0.parquet', size: 18233, lastModified: 2025-01-01T… }]
 */
export async function listObjects(
  storage: BucketAccess,
  prefix = '',
  options: { pageSize?: number } = {},
): Promise<ObjectInfo[]> {
  return withS3Errors(storage, async () => {
    const objects: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      const page = await storage.client.send(
        new ListObjectsV2Command({
          Bucket: storage.bucket,
          Prefix: prefix === '' ? undefined : prefix,
          ContinuationToken: token,
          MaxKeys: options.pageSize,
        }),
      );
      for (const item of page.Contents ?? []) {
        if (item.Key === undefined) continue;
        objects.push({ key: item.Key, size: item.Size ?? 0, lastModified: item.LastModified ?? new Date(0) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return objects;
  });
}

/**
 * Deletes the given keys, 1000 per request. Missing keys are not an error (S3 semantics);
 * keys the server refuses to delete are. Resolves to the number of keys sent.
 *
 * @example
 * await deleteObjects(storage, (await listObjects(storage, 'tmp/')).map((o) => o.key));
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

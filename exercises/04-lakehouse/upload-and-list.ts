import { createReadStream, statSync } from 'node:fs';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { NotImplementedError } from '@mart/shared';
import type { ObjectEntry } from '@mart/stage-04-lakehouse/given';

/**
 * Exercise: put a file in the bucket and list what is there — the S3 API.
 *
 * Everything stage 4 stores goes through these two functions (with --mine, yours).
 *
 * uploadFile: one PutObjectCommand with Bucket, Key, the file as Body (a read stream,
 * so a large file is not loaded into memory) and ContentLength = the file's size in
 * bytes (a stream's length is unknown to the SDK; some S3 servers need it).
 *
 * listKeys: every object whose key starts with `prefix`, as { key, size }, in key
 * order. One ListObjectsV2Command returns at most `MaxKeys` objects (1000 on AWS) and,
 * when there are more, IsTruncated plus a NextContinuationToken to pass back as
 * ContinuationToken. Loop until IsTruncated is false. `pageSize` sets MaxKeys (tests
 * use a small one to make you loop).
 *
 * API (@aws-sdk/client-s3, v3): `await s3.send(new XxxCommand(input))` sends one request
 * and resolves with its output, or throws (NoSuchBucket…).
 *   PutObjectCommand({ Bucket, Key, Body, ContentLength })
 *   ListObjectsV2Command({ Bucket, Prefix, MaxKeys, ContinuationToken })
 *     → { Contents?: [{ Key?, Size?, … }], IsTruncated?, NextContinuationToken? }
 * Node's `createReadStream(path)` and `statSync(path).size` (node:fs) give the Body and
 * its length. No table: the bucket is the embedded S3 server's (s3rver), or MinIO, or AWS.
 *
 * Careful: Contents is missing (not []) when nothing matches, and every field of an
 * object may be undefined in the SDK's types. "Key order" is S3's: by bytes
 * ('B' < '_' < 'a'), not a dictionary's (localeCompare).
 *
 * @example
 * await uploadFile(s3, 'mart-lake', 'bronze/stores/part-A1.parquet', '/tmp/stores.parquet');
 * await listKeys(s3, 'mart-lake', 'bronze/') // → [{ key: 'bronze/stores/part-A1.parquet', size: 1234 }]
 */
export async function uploadFile(s3: S3Client, bucket: string, key: string, localPath: string): Promise<void> {
  throw new NotImplementedError('04-lakehouse/upload-and-list');
}

/** See {@link uploadFile}: every object under `prefix`, following continuation tokens. */
export async function listKeys(s3: S3Client, bucket: string, prefix: string, pageSize = 1000): Promise<ObjectEntry[]> {
  throw new NotImplementedError('04-lakehouse/upload-and-list');
}

import { randomBytes } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { putBytes } from '@mart/shared';
import { tempDir } from '@mart/shared/testing';
import { s3TestLake, type TestLake } from '@mart/stage-04-lakehouse/testing';
import * as track from '@mart/track/04-lakehouse';
import { afterAll, beforeAll, describe, expect, onTestFinished, test, vi } from 'vitest';

/** The offset of the first byte where `a` and `b` differ, or -1 when they are the same. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : length;
}

/** A command's input as the SDK received it. */
type Sent = Record<string, unknown>;

// Against a real S3 server (s3rver, embedded, on loopback): the requests your code sends
// are the ones AWS or MinIO would get. Each test works under its own prefix.
describe('upload-and-list', () => {
  let lake: TestLake;
  let s3: S3Client;
  let bucket: string;
  let local: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    local = tempDir('upload-and-list');
    lake = await s3TestLake();
    if (!lake.storage) throw new Error('Test setup: s3TestLake has no storage.');
    s3 = lake.storage.client;
    bucket = lake.storage.bucket;
  });
  afterAll(async () => {
    await lake?.remove();
    local?.remove();
  });

  /** A local file with `bytes` as content. */
  function localFile(name: string, bytes: Uint8Array | string): string {
    const path = join(local.path, name);
    writeFileSync(path, bytes);
    return path;
  }

  /** Objects put directly (not through uploadFile), so listing tests only test listKeys. */
  async function putObjects(objects: Record<string, string>): Promise<void> {
    if (!lake.storage) throw new Error('Test setup: no storage.');
    for (const [key, body] of Object.entries(objects)) await putBytes(lake.storage, key, body);
  }

  /** The commands `work` sends through the client, with their inputs, in order. */
  async function sentBy(work: () => Promise<unknown>): Promise<{ command: string | undefined; input: Sent }[]> {
    const sent: { command: string | undefined; input: Sent }[] = [];
    const spy = 'upload-and-list-test-spy';
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push({ command: context.commandName, input: { ...(args.input as Sent) } });
        return next(args);
      },
      { step: 'initialize', name: spy },
    );
    try {
      await work();
    } finally {
      s3.middlewareStack.remove(spy);
    }
    return sent;
  }

  async function download(key: string): Promise<{ bytes: Buffer; contentLength: number | undefined }> {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
    return { bytes, contentLength: object.ContentLength };
  }

  test('a 6 MB file uploads byte for byte: the object has its exact size and content', async () => {
    const content = randomBytes(6 * 1024 * 1024 + 123);
    const path = localFile('big.bin', content);
    await track.uploadFile(s3, bucket, 'upload/big/part-0.bin', path);

    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'upload/big/part-0.bin' }));
    expect(head.ContentLength).toBe(content.length);
    const { bytes, contentLength } = await download('upload/big/part-0.bin');
    expect(contentLength).toBe(content.length);
    // Where the stored bytes first differ from the file's (-1: nowhere).
    expect({ size: bytes.length, firstDifference: firstDifference(bytes, content) }).toEqual({
      size: content.length,
      firstDifference: -1,
    });
  });

  test('uploadFile sends one PutObject: the file as a stream, ContentLength its size', async () => {
    const path = localFile('small.parquet', 'PAR1 not really parquet PAR1');
    const sent = await sentBy(() => track.uploadFile(s3, bucket, 'upload/one/small.parquet', path));
    expect(sent.map((request) => request.command)).toEqual(['PutObjectCommand']);
    expect(sent[0]?.input).toMatchObject({
      Bucket: bucket,
      Key: 'upload/one/small.parquet',
      ContentLength: statSync(path).size,
    });
    // A stream, so a large file is never held in memory whole.
    expect(typeof (sent[0]?.input.Body as { pipe?: unknown } | undefined)?.pipe).toBe('function');
    expect((await download('upload/one/small.parquet')).bytes.toString()).toBe('PAR1 not really parquet PAR1');
  });

  test('listKeys: every object under the prefix with its exact size, in key order, nothing else', async () => {
    await putObjects({
      'list/b.txt': 'bbb',
      'list/sub/c.txt': 'cccccccccc',
      'list/a.txt': '',
      'list/sub/deeper/d.txt': 'dd',
      'listing/x.txt': 'not under list/',
      'other/list/y.txt': 'not under list/ either',
      'list0.txt': 'no slash',
    });
    expect(await track.listKeys(s3, bucket, 'list/')).toEqual([
      { key: 'list/a.txt', size: 0 },
      { key: 'list/b.txt', size: 3 },
      { key: 'list/sub/c.txt', size: 10 },
      { key: 'list/sub/deeper/d.txt', size: 2 },
    ]);
    expect(await track.listKeys(s3, bucket, 'list/sub/deeper/')).toEqual([{ key: 'list/sub/deeper/d.txt', size: 2 }]);
    // A prefix is not a folder: 'list' also matches list0.txt and listing/.
    expect((await track.listKeys(s3, bucket, 'list')).map((object) => object.key)).toEqual([
      'list/a.txt',
      'list/b.txt',
      'list/sub/c.txt',
      'list/sub/deeper/d.txt',
      'list0.txt',
      'listing/x.txt',
    ]);
  });

  test('key order is byte order, as S3 lists it: upper case before _ before lower case', async () => {
    await putObjects({
      'order/b.txt': 'b',
      'order/é.txt': 'e',
      'order/a.txt': 'a',
      'order/_.txt': '_',
      'order/B.txt': 'B',
    });
    // Not the order of a dictionary (localeCompare would put a before B).
    expect((await track.listKeys(s3, bucket, 'order/')).map((object) => object.key)).toEqual([
      'order/B.txt',
      'order/_.txt',
      'order/a.txt',
      'order/b.txt',
      'order/é.txt',
    ]);
  });

  test('more objects than one page: listKeys follows the continuation token to the last page', async () => {
    const objects: Record<string, string> = {};
    // Put in reverse order: the listing's order must not be the upload order.
    for (let i = 29; i >= 0; i--) objects[`pages/obj-${String(i).padStart(2, '0')}.txt`] = 'x'.repeat(i);
    await putObjects(objects);
    const expected = Array.from({ length: 30 }, (_, i) => ({
      key: `pages/obj-${String(i).padStart(2, '0')}.txt`,
      size: i,
    }));

    // 7 per page: pages of 7, 7, 7, 7 and 2, each request asking for 7 (MaxKeys).
    let listed: unknown;
    const sent = await sentBy(async () => {
      listed = await track.listKeys(s3, bucket, 'pages/', 7);
    });
    expect(listed).toEqual(expected);
    expect(sent.map((request) => [request.command, request.input.Prefix, request.input.MaxKeys])).toEqual(
      Array.from({ length: 5 }, () => ['ListObjectsV2Command', 'pages/', 7]),
    );
    // A page size that divides the count exactly: the last page is full, then IsTruncated is false.
    expect(await track.listKeys(s3, bucket, 'pages/', 10)).toEqual(expected);
    expect(await track.listKeys(s3, bucket, 'pages/', 1)).toEqual(expected);
    // The default page size (1000): one page.
    expect(await track.listKeys(s3, bucket, 'pages/')).toEqual(expected);
  });

  test('a prefix with no objects under it lists as []', async () => {
    await putObjects({ 'present/a.txt': 'a' });
    expect(await track.listKeys(s3, bucket, 'absent/')).toEqual([]);
    expect(await track.listKeys(s3, bucket, 'present/a.txt/')).toEqual([]);
    expect(await track.listKeys(s3, bucket, 'absent/', 7)).toEqual([]);
  });

  test('keys with spaces and non-ASCII characters upload and list unchanged', async () => {
    const path = localFile('odd.txt', 'odd');
    const key = 'odd keys/sale_date=2024-03-01/Grünweg & Co (1).txt';
    await track.uploadFile(s3, bucket, key, path);
    expect(await track.listKeys(s3, bucket, 'odd keys/')).toEqual([{ key, size: 3 }]);
    expect((await download(key)).bytes.toString()).toBe('odd');
  });

  test('a bucket that does not exist is an error, for both upload and list', async () => {
    const path = localFile('lost.txt', 'lost');
    // The SDK warns that a failed streaming upload cannot be retried; expected here.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    onTestFinished(() => warn.mockRestore());
    // The same calls work against the real bucket…
    await track.uploadFile(s3, bucket, 'lost/a.txt', path);
    expect(await track.listKeys(s3, bucket, 'lost/')).toEqual([{ key: 'lost/a.txt', size: 4 }]);
    // …and fail, rather than return nothing, against one that does not exist.
    await expect(track.uploadFile(s3, 'no-such-bucket', 'a.txt', path)).rejects.toThrow();
    await expect(track.listKeys(s3, 'no-such-bucket', '')).rejects.toThrow();
    await expect(track.listKeys(s3, 'no-such-bucket', 'bronze/', 7)).rejects.toThrow();
  });
});

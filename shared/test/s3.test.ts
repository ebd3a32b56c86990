import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { CliError } from '../src/errors.ts';
import { startEmbeddedS3 } from '../src/s3/embedded-s3.ts';
import { describeLakeConfig, embeddedCredentials, type LakeConfig, readLakeConfig } from '../src/s3/lake-config.ts';
import { deleteObjects, getBytes, getToFile, objectExists, putBytes } from '../src/s3/objects.ts';
import { type LakeStorage, openLakeStorage } from '../src/s3/open-lake-storage.ts';
import { createS3Client } from '../src/s3/s3-client.ts';
import { tempDir } from '../src/testing/temp-dir.ts';

const embeddedConfig: LakeConfig = { region: 'us-east-1', bucket: 'test-lake', ...embeddedCredentials, embedded: true };

/** A config pointing at a running server as if it were MinIO: no embedded server, HeadBucket only. */
function remoteConfig(endpoint: string, overrides: Partial<LakeConfig> = {}): LakeConfig {
  return { ...embeddedConfig, endpoint, embedded: false, ...overrides };
}

async function failure(work: Promise<unknown>): Promise<CliError> {
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return error as CliError;
  }
  throw new Error('expected a CliError, got success');
}

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('embedded S3 server (real s3rver over HTTP on 127.0.0.1)', () => {
  const temp = tempDir('s3');
  let storage: LakeStorage;

  beforeAll(async () => {
    storage = await openLakeStorage(embeddedConfig, { directory: join(temp.path, 's3') });
  });
  afterAll(async () => {
    await storage.close();
    temp.remove();
  });

  test('starts on a free loopback port, creates the bucket, keeps objects across restarts, closes', async () => {
    const directory = join(temp.path, 'restart');
    const first = await openLakeStorage(embeddedConfig, { directory });
    expect(first.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.endpoint).not.toBe('http://127.0.0.1:0');
    expect(first.embedded).toBe(true);
    expect(existsSync(join(directory, 'test-lake'))).toBe(true);
    await putBytes(first, 'kept.txt', 'still here');
    await first.close();
    await first.close(); // idempotent
    await expect(fetch(first.endpoint)).rejects.toThrow();

    const second = await openLakeStorage(embeddedConfig, { directory });
    try {
      expect(Buffer.from(await getBytes(second, 'kept.txt')).toString('utf8')).toBe('still here');
    } finally {
      await second.close();
    }
  });

  test('a fixed port is honoured, and a busy one is a CliError', async () => {
    const port = await unusedPort();
    const server = await startEmbeddedS3({ directory: join(temp.path, 'fixed'), port });
    try {
      expect(server.endpoint).toBe(`http://127.0.0.1:${port}`);
      const busy = await failure(startEmbeddedS3({ directory: join(temp.path, 'fixed'), port }));
      expect(busy.message).toContain(String(port));
    } finally {
      await server.close();
    }
  });

  // Uploading files and listing keys are stage 4's exercise (upload-and-list): stage 4's
  // tests check them, and the shim's pagination, through its pieces (test/s3-objects.test.ts).
  test('a multi-MB object goes up and comes back byte-identical, to a file or in memory', async () => {
    const content = randomBytes(8 * 1024 * 1024 + 123);
    await putBytes(storage, 'tables/sales/part-0.bin', content);
    await putBytes(storage, 'tables/sales/empty.bin', '');

    const target = join(temp.path, 'down', 'deep', 'big.bin');
    await getToFile(storage, 'tables/sales/part-0.bin', target);
    expect(readFileSync(target).equals(content)).toBe(true);
    expect(readdirSync(join(temp.path, 'down', 'deep'))).toEqual(['big.bin']); // no temp file left
    expect(Buffer.from(await getBytes(storage, 'tables/sales/empty.bin')).byteLength).toBe(0);
    expect(await objectExists(storage, 'tables/sales/part-0.bin')).toBe(true);
    expect(await objectExists(storage, 'tables/sales/nope.bin')).toBe(false);
  });

  test('deleteObjects deletes the keys it is given; a missing key is no error (batches of 1000: stage 4 tests)', async () => {
    const keys = ['gone/a.txt', 'gone/b.txt', 'kept/c.txt'];
    for (const key of keys) await putBytes(storage, key, key);
    expect(await deleteObjects(storage, ['gone/a.txt', 'gone/b.txt', 'gone/never-existed.txt'])).toBe(3);
    expect(await Promise.all(keys.map((key) => objectExists(storage, key)))).toEqual([false, false, true]);
    expect(await deleteObjects(storage, [])).toBe(0);
  });

  test('a missing object is a CliError naming the key, and leaves no file behind', async () => {
    const target = join(temp.path, 'missing', 'x.bin');
    const error = await failure(getToFile(storage, 'no/such/key.bin', target));
    expect(error.message).toContain('s3://test-lake/no/such/key.bin');
    expect(readdirSync(join(temp.path, 'missing'))).toEqual([]);
  });

  test('an unknown access key is refused: CliError about credentials, without the secret', async () => {
    const secret = 'very-secret-value-123';
    const config = remoteConfig(storage.endpoint, { accessKeyId: 'NOT-A-KEY', secretAccessKey: secret });
    const error = await failure(openLakeStorage(config));
    expect(error.message).toContain('refused the credentials');
    expect(error.message).toContain('NOT-…');
    expect(error.hint).toContain('MART_S3_ACCESS_KEY_ID');
    expect(`${error.message} ${error.hint}`).not.toContain(secret);

    // The same through an object helper: a GET carries the error code in its body.
    const client = createS3Client(config);
    try {
      const download = await failure(getBytes({ ...storage, client }, 'kept.txt'));
      expect(download.message).toContain('InvalidAccessKeyId');
      expect(`${download.message} ${download.hint}`).not.toContain(secret);
    } finally {
      client.destroy();
    }
  });

  test('a bucket missing on a configured endpoint is a CliError naming the bucket', async () => {
    const config = remoteConfig(storage.endpoint, { bucket: 'no-such-bucket' });
    const error = await failure(openLakeStorage(config));
    expect(error.message).toContain('"no-such-bucket" does not exist');
    expect(error.message).toContain(storage.endpoint);
    expect(error.hint).toContain('MART_S3_BUCKET');

    const client = createS3Client(config);
    try {
      const download = await failure(
        getBytes({ ...storage, client, bucket: 'no-such-bucket', embedded: false }, 'kept.txt'),
      );
      expect(download.message).toContain('"no-such-bucket" does not exist');
    } finally {
      client.destroy();
    }
  });

  test('an existing bucket on a configured endpoint opens without starting a server', async () => {
    const remote = await openLakeStorage(remoteConfig(storage.endpoint));
    try {
      expect(remote.embedded).toBe(false);
      expect(remote.endpoint).toBe(storage.endpoint);
      await putBytes(remote, 'remote.txt', 'hi');
      expect(await objectExists(storage, 'remote.txt')).toBe(true);
    } finally {
      await remote.close();
    }
  });
});

describe('an unreachable endpoint', () => {
  test('fails fast with a CliError naming the endpoint and pointing at MART_S3_ENDPOINT', async () => {
    const endpoint = `http://127.0.0.1:${await unusedPort()}`;
    const started = performance.now();
    const error = await failure(openLakeStorage(remoteConfig(endpoint)));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(error.exitCode).toBe(1);
    expect(error.message).toContain(endpoint);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.hint).toContain('MART_S3_ENDPOINT');
  });
});

describe('readLakeConfig', () => {
  const temp = tempDir('lake-config');
  afterEach(() => {
    const envFile = join(temp.path, '.env');
    if (existsSync(envFile)) writeFileSync(envFile, '');
  });
  afterAll(() => {
    temp.remove();
  });

  test('defaults: embedded server, S3RVER keys, mart-lake in us-east-1', () => {
    expect(readLakeConfig({}, temp.path)).toEqual({
      region: 'us-east-1',
      bucket: 'mart-lake',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      embedded: true,
    });
  });

  test('environment variables override the defaults', () => {
    const config = readLakeConfig(
      {
        MART_S3_ENDPOINT: 'http://localhost:9000/',
        MART_S3_REGION: 'eu-west-3',
        MART_S3_BUCKET: 'my-lake',
        MART_S3_ACCESS_KEY_ID: 'minioadmin',
        MART_S3_SECRET_ACCESS_KEY: 'minio-secret',
      },
      temp.path,
    );
    expect(config).toEqual({
      endpoint: 'http://localhost:9000',
      region: 'eu-west-3',
      bucket: 'my-lake',
      accessKeyId: 'minioadmin',
      secretAccessKey: 'minio-secret',
      embedded: false,
    });
    // Without an endpoint the embedded server's only key pair wins over stray credentials.
    expect(readLakeConfig({ MART_S3_ACCESS_KEY_ID: 'minioadmin' }, temp.path).accessKeyId).toBe('S3RVER');
  });

  test('a .env at the repository root fills in unset variables without overriding set ones', () => {
    writeFileSync(
      join(temp.path, '.env'),
      [
        '# MinIO from docker compose',
        'MART_S3_ENDPOINT=http://localhost:9000',
        'MART_S3_BUCKET=from-file',
        'MART_S3_ACCESS_KEY_ID="file-key"',
        'MART_S3_SECRET_ACCESS_KEY=file-secret',
      ].join('\n'),
    );
    const env = { MART_S3_BUCKET: 'from-env' };
    expect(readLakeConfig(env, temp.path)).toMatchObject({
      endpoint: 'http://localhost:9000',
      bucket: 'from-env',
      accessKeyId: 'file-key',
      secretAccessKey: 'file-secret',
      embedded: false,
    });
    expect(env).toEqual({ MART_S3_BUCKET: 'from-env' }); // not modified
    // Set but empty counts as set: forces the embedded server despite the .env.
    expect(readLakeConfig({ MART_S3_ENDPOINT: '' }, temp.path).embedded).toBe(true);
  });

  test('a malformed endpoint or bucket name is a CliError', () => {
    expect(() => readLakeConfig({ MART_S3_ENDPOINT: 'localhost:9000' }, temp.path)).toThrow(CliError);
    expect(() => readLakeConfig({ MART_S3_ENDPOINT: 'http://key:pw@localhost:9000' }, temp.path)).toThrow(
      /user name or password/,
    );
    expect(() => readLakeConfig({ MART_S3_BUCKET: 'My_Lake' }, temp.path)).toThrow(/not a valid bucket name/);
  });

  test('describeLakeConfig shows where and which key, never the secret', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const remote = readLakeConfig(
      {
        MART_S3_ENDPOINT: 'http://localhost:9000',
        MART_S3_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        MART_S3_SECRET_ACCESS_KEY: secret,
      },
      temp.path,
    );
    const line = describeLakeConfig(remote);
    expect(line).toBe('S3 at http://localhost:9000, bucket mart-lake, region us-east-1, access key AKIA…');
    expect(line).not.toContain(secret);
    expect(line).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(describeLakeConfig(readLakeConfig({}, temp.path))).toBe(
      'embedded S3 server (s3rver on 127.0.0.1), bucket mart-lake, region us-east-1, access key S3RV…',
    );
  });
});

import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ListBucketsCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  createS3Client,
  type EmbeddedS3,
  embeddedCredentials,
  ensureBucket,
  type LakeConfig,
  startEmbeddedS3,
} from '@mart/shared';
import { runCli, runCliAsync, tempDir } from '@mart/shared/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// What a learner sees when the S3 side is wrong: one message that names what to check,
// exit 1, no stack trace, no secret, and nothing written on either side.
const stackTrace = /\n\s+at .+:\d+:\d+/;

/** A loopback port nothing listens on: bound once by the OS, then released. */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('Test setup: no TCP address.');
  return address.port;
}

describe('stage 4 with MART_S3_ENDPOINT pointing at a server that is not there', () => {
  const data = tempDir('stage-04-s3-down');
  afterAll(() => data.remove());

  test.each([['ingest'], ['build']])(
    '%s: exit 1, names the endpoint, says how to use the embedded server; writes nothing',
    async (command) => {
      const endpoint = `http://127.0.0.1:${await unusedPort()}`;
      const run = runCli(['stage', '4', command], { MART_DATA_DIR: data.path, MART_S3_ENDPOINT: endpoint });
      expect(run.status, run.stdout + run.stderr).toBe(1);
      expect(run.stderr).toContain(`Cannot reach the S3 server at ${endpoint} (ECONNREFUSED).`);
      expect(run.stderr).toContain('Unset MART_S3_ENDPOINT to use the embedded server');
      expect(run.stderr).not.toMatch(stackTrace);
      // No catalog, no embedded server folder, no serving copy: the data folder stays empty.
      expect(readdirSync(data.path)).toEqual([]);
    },
  );
});

describe('lake gc and lake pull without a catalog', () => {
  const data = tempDir('stage-04-no-catalog');
  afterAll(() => data.remove());

  test.each([['gc'], ['pull']])(
    'lake %s with the S3 endpoint down: the S3 error, exit 1 (not "nothing to do")',
    async (sub) => {
      const endpoint = `http://127.0.0.1:${await unusedPort()}`;
      const args = sub === 'pull' ? ['lake', 'pull', join(data.path, 'pulled')] : ['lake', 'gc'];
      const run = runCli(['stage', '4', ...args], {
        MART_DATA_DIR: join(data.path, 'mart'),
        MART_S3_ENDPOINT: endpoint,
      });
      expect(run.status, run.stdout + run.stderr).toBe(1);
      expect(run.stderr).toContain(`Cannot reach the S3 server at ${endpoint} (ECONNREFUSED).`);
      expect(run.stdout).not.toContain('nothing to do');
      expect(run.stderr).not.toMatch(stackTrace);
    },
  );

  test('lake gc with S3 reachable and no catalog yet: nothing to do, exit 0', () => {
    const run = runCli(['stage', '4', 'lake', 'gc'], {
      MART_DATA_DIR: join(data.path, 'embedded'),
      MART_S3_ENDPOINT: '',
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('The lake has no catalog yet: nothing to do.');
  });
});

describe('stage 4 against a running S3 server (an embedded one started by the test)', () => {
  const data = tempDir('stage-04-s3-errors');
  const secret = 'sEcReT-never-print-7f3a9c';
  let server: EmbeddedS3;
  let admin: S3Client;
  const buckets = async () =>
    ((await admin.send(new ListBucketsCommand({}))).Buckets ?? []).map((bucket) => bucket.Name);

  beforeAll(async () => {
    server = await startEmbeddedS3({ directory: join(data.path, 'server') });
    const config: LakeConfig = { ...embeddedCredentials, region: 'us-east-1', bucket: 'mart-lake', embedded: false };
    admin = createS3Client(config, server.endpoint);
    await ensureBucket(admin, 'mart-lake');
  });
  afterAll(async () => {
    admin?.destroy();
    await server?.close();
    data.remove();
  });

  const lakeEnv = (extra: Record<string, string>) => ({
    MART_DATA_DIR: join(data.path, 'mart'),
    MART_S3_ENDPOINT: server.endpoint,
    ...extra,
  });

  test('the right keys work: lake ls lists the (empty) bucket', async () => {
    const run = await runCliAsync(['stage', '4', 'lake', 'ls'], lakeEnv({}));
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`0 objects, 0 bytes under s3://mart-lake/ (S3 at ${server.endpoint}`);
  });

  test.each([['ingest'], ['build']])(
    '%s with a wrong key pair: exit 1, the credentials message, the secret never printed',
    async (command) => {
      const run = await runCliAsync(
        ['stage', '4', command],
        lakeEnv({ MART_S3_ACCESS_KEY_ID: 'nobody', MART_S3_SECRET_ACCESS_KEY: secret }),
      );
      expect(run.status, run.stdout + run.stderr).toBe(1);
      expect(run.stderr).toContain(
        `The S3 server at ${server.endpoint} refused the credentials for access key nobo… (`,
      );
      expect(run.stderr).toContain('Check MART_S3_ACCESS_KEY_ID / MART_S3_SECRET_ACCESS_KEY');
      expect(run.stdout + run.stderr).not.toContain(secret);
      expect(run.stderr).not.toMatch(stackTrace);
      expect(existsSync(join(data.path, 'mart', 'lake', 'catalog.duckdb'))).toBe(false);
      expect(readdirSync(join(data.path, 'server', 'mart-lake'))).toEqual([]);
    },
  );

  test('a bucket that does not exist: the message names it, and the bucket is not created', async () => {
    const run = await runCliAsync(['stage', '4', 'ingest'], lakeEnv({ MART_S3_BUCKET: 'no-such-bucket' }));
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stderr).toContain(`The bucket "no-such-bucket" does not exist on the S3 server at ${server.endpoint}.`);
    expect(run.stderr).toContain('set MART_S3_BUCKET to an existing bucket');
    expect(run.stderr).not.toMatch(stackTrace);
    expect(await buckets()).toEqual(['mart-lake']);
  });
});

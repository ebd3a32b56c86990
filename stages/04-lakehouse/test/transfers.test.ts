import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, type Database, readLakeConfig } from '@mart/shared';
import { tempDir } from '@mart/shared/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { publishTables } from '../src/publish-tables.ts';
import {
  catalogAlias,
  commitSnapshot,
  type ObjectStore,
  s3ObjectStore,
  s3TestLake,
  type TestLake,
} from '../src/testing/index.ts';
import { transferLimit } from '../src/transfer-limit.ts';
import { expectCatalogInvariants } from './helpers/catalog-invariants.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('bounded concurrency', () => {
  test('transferLimit: never more than the limit in flight, every call done', async () => {
    const limited = transferLimit(3);
    let running = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limited(async () => {
          running++;
          most = Math.max(most, running);
          await pause(i % 4);
          running--;
          return i;
        }),
      ),
    );
    expect(most).toBe(3);
    expect(results).toEqual([...Array(20).keys()]);
  });

  test('MART_S3_CONCURRENCY sets the limit: a whole number from 1 to 64, unset by default', () => {
    const temp = tempDir('stage-04-concurrency');
    try {
      expect(readLakeConfig({ MART_S3_CONCURRENCY: '4' }, temp.path).transferConcurrency).toBe(4);
      expect(readLakeConfig({}, temp.path)).not.toHaveProperty('transferConcurrency');
      for (const bad of ['0', '65', '2.5', 'many']) {
        expect(() => readLakeConfig({ MART_S3_CONCURRENCY: bad }, temp.path)).toThrow(CliError);
      }
    } finally {
      temp.remove();
    }
  });

  test('a failing call frees its slot', async () => {
    const limited = transferLimit(1);
    await expect(limited(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limited(async () => 'next')).toBe('next');
  });
});

describe('the S3 store moves files in parallel, in parts when large', () => {
  let lake: TestLake;
  const temp = tempDir('stage-04-transfers');
  beforeAll(async () => {
    lake = await s3TestLake();
  });
  afterAll(async () => {
    await lake?.remove();
    temp.remove();
  });

  test('at most `concurrency` uploads reach the uploadFile piece at once', async () => {
    const storage = lake.storage;
    if (!storage) throw new Error('Test setup: no S3 storage.');
    let running = 0;
    let most = 0;
    const store = s3ObjectStore(
      storage,
      {
        ...lake.pieces,
        uploadFile: async (...args) => {
          running++;
          most = Math.max(most, running);
          try {
            await lake.pieces.uploadFile(...args);
          } finally {
            running--;
          }
        },
      },
      { concurrency: 3 },
    );
    const file = join(temp.path, 'small.bin');
    writeFileSync(file, 'x'.repeat(1000));
    await Promise.all(Array.from({ length: 12 }, (_, i) => store.put(`parallel/${i}.bin`, file)));
    expect(most).toBe(3);
    expect((await store.list('parallel/')).length).toBe(12);
  });

  test('a large file goes up as a multipart upload and comes back byte for byte', async () => {
    const storage = lake.storage;
    if (!storage) throw new Error('Test setup: no S3 storage.');
    let pieceCalls = 0;
    const store = s3ObjectStore(
      storage,
      {
        ...lake.pieces,
        uploadFile: async (...args) => {
          pieceCalls++;
          await lake.pieces.uploadFile(...args);
        },
      },
      { multipartThresholdBytes: 1024 * 1024, partSizeBytes: 5 * 1024 * 1024 },
    );
    const file = join(temp.path, 'large.bin');
    const bytes = Buffer.alloc(12 * 1024 * 1024 + 123);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 251;
    writeFileSync(file, bytes);
    await store.put('large/file.bin', file);
    expect(pieceCalls).toBe(0);
    await store.get('large/file.bin', join(temp.path, 'back.bin'));
    expect(readFileSync(join(temp.path, 'back.bin')).equals(bytes)).toBe(true);
    // A ranged GET across a part boundary.
    const start = 5 * 1024 * 1024 - 10;
    expect(
      Buffer.from(await store.getRange('large/file.bin', start, start + 20)).equals(bytes.subarray(start, start + 20)),
    ).toBe(true);
  });
});

describe('a build commit with parallel uploads is still all or nothing', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await s3TestLake();
  });
  afterAll(async () => lake?.remove());

  test('the fourth of six uploads fails: no snapshot, every object that landed deleted again', async () => {
    const db: Database = lake.session.db;
    for (let i = 0; i < 6; i++)
      await db.run(`create or replace table src_${i} as select range as id from range(${10 + i})`);
    let puts = 0;
    const failing: ObjectStore = {
      ...lake.store,
      put: async (key, localPath) => {
        const n = ++puts;
        // Uploads overlap: the failing one ends while others are still in flight.
        await pause(n === 4 ? 5 : 30);
        if (n === 4) throw new Error('injected: upload 4 failed');
        await lake.store.put(key, localPath);
      },
    };
    const targets = Array.from({ length: 6 }, (_, i) => ({
      schema: 'gold',
      name: `t${i}`,
      sourceSql: `select * from src_${i}`,
    }));
    const before = await db.value<number>(`select count(*)::bigint from ${catalogAlias}.ducklake_snapshot`);
    await expect(
      commitSnapshot(lake.session, (tx) => publishTables(tx, failing, lake.pieces, targets)),
    ).rejects.toThrow('injected: upload 4 failed');
    expect(puts).toBe(6);
    expect(await db.value<number>(`select count(*)::bigint from ${catalogAlias}.ducklake_snapshot`)).toBe(before);
    expect(await lake.store.list('lake/')).toEqual([]);
    await expectCatalogInvariants(lake);

    // The same commit with a working store: six tables, one snapshot.
    const { result } = await commitSnapshot(lake.session, (tx) => publishTables(tx, lake.store, lake.pieces, targets));
    expect(result.map((table) => table.rows)).toEqual([10, 11, 12, 13, 14, 15]);
    expect((await lake.store.list('lake/')).length).toBe(6);
    expect((await lake.rows('gold', 't5')).length).toBe(15);
    await expectCatalogInvariants(lake);
  });
});

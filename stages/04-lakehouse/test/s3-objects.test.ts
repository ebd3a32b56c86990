import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deleteObjects, putBytes } from '@mart/shared';
import { tempDir } from '@mart/shared/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { s3TestLake, type TestLake } from '../src/testing/index.ts';

// Upload and list go through the exercise pieces (the reference ones here); shared keeps
// only the primitives the stage calls (download, delete) and the embedded server with its
// ListObjectsV2 pagination shim, which these checks drive past one page.
describe('the lake bucket through the reference pieces (embedded s3rver)', () => {
  let lake: TestLake;
  const local = tempDir('stage-04-s3-objects');
  beforeAll(async () => {
    lake = await s3TestLake();
  });
  afterAll(async () => {
    await lake?.remove();
    local.remove();
  });

  test('a multi-MB file goes up and comes back byte-identical; listing by prefix shows sizes', async () => {
    const content = randomBytes(8 * 1024 * 1024 + 123);
    const source = join(local.path, 'big.bin');
    const empty = join(local.path, 'empty.bin');
    writeFileSync(source, content);
    writeFileSync(empty, '');
    await lake.store.put('tables/sales/part-0.bin', source);
    await lake.store.put('tables/sales/empty.bin', empty);
    if (!lake.storage) throw new Error('Test setup: no storage.');
    await putBytes(lake.storage, 'tables/other/x.txt', 'x');

    expect(await lake.store.list('tables/sales/')).toEqual([
      { key: 'tables/sales/empty.bin', size: 0 },
      { key: 'tables/sales/part-0.bin', size: content.length },
    ]);
    const target = join(local.path, 'down', 'big.bin');
    await lake.store.get('tables/sales/part-0.bin', target);
    expect(readFileSync(target).equals(content)).toBe(true);
  });

  test('more than 1000 keys: listing follows continuation tokens, deleting goes in batches', async () => {
    const storage = lake.storage;
    if (!storage) throw new Error('Test setup: no storage.');
    const keys = Array.from({ length: 1100 }, (_, i) => `many/${String(i).padStart(4, '0')}.txt`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((key) => putBytes(storage, key, key)));
    }
    const listed = (entries: { key: string }[]) => entries.map((entry) => entry.key);
    expect(listed(await lake.pieces.listKeys(storage.client, storage.bucket, 'many/'))).toEqual(keys);
    expect(listed(await lake.pieces.listKeys(storage.client, storage.bucket, 'many/', 250))).toEqual(keys);

    expect(await deleteObjects(storage, keys.slice(0, 1050))).toBe(1050);
    expect(listed(await lake.store.list('many/'))).toEqual(keys.slice(1050));
    await deleteObjects(storage, [...keys.slice(1050), 'many/never-existed.txt']);
    expect(await lake.store.list('many/')).toEqual([]);
    expect(await deleteObjects(storage, [])).toBe(0);
  });
});

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join, relative } from 'node:path';
import { createS3Client, Database, type LakeStorage } from '@mart/shared';
import { tempDir } from '@mart/shared/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cachedLakeFiles } from '../src/cached-lake-files.ts';
import {
  catalogAlias,
  commitSnapshot,
  createTable,
  insertRows,
  requireTable,
  s3ObjectStore,
  s3TestLake,
  type TestLake,
} from '../src/testing/index.ts';

// A download that fails half-way must leave nothing half-written in the cache: the
// next read would take a truncated file for the real one. The failure here is real: a
// TCP proxy in front of the embedded S3 server passes the first bytes of each answer,
// then cuts the connection, as a network would.

/** A proxy to `target` that lets through `budget` bytes of each server answer, then cuts both sides. */
async function cuttingProxy(
  target: number,
  budget: () => number,
): Promise<{ endpoint: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    let passed = 0;
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      const room = budget() - passed;
      if (room >= chunk.length) {
        passed += chunk.length;
        client.write(chunk);
        return;
      }
      if (room > 0) client.write(chunk.subarray(0, room));
      client.destroy();
      upstream.destroy();
    });
    for (const socket of [client, upstream]) {
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The proxy has no TCP address.');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Every file under `dir`, relative, with its size: what the cache holds. */
function listing(dir: string): Record<string, number> {
  const files: Record<string, number> = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(dir, path)] = statSync(path).size;
    }
  };
  walk(dir);
  return files;
}

describe('a fetch that fails half-way', () => {
  let lake: TestLake;
  let db: Database;
  let proxy: Awaited<ReturnType<typeof cuttingProxy>>;
  let cutAfter = Number.POSITIVE_INFINITY;
  let cut: LakeStorage;
  let file: { key: string; path: string; size: number; footer: number };
  const cache = tempDir('stage-04-cut-cache');

  beforeAll(async () => {
    lake = await s3TestLake();
    // One data file of a few MB: 200,000 rows of three columns that do not compress away.
    await commitSnapshot(lake.session, async (tx) => {
      await createTable(tx, 'main', 'big', [
        { name: 'id', type: 'BIGINT' },
        { name: 'payload', type: 'VARCHAR' },
        { name: 'score', type: 'DOUBLE' },
      ]);
      const table = await requireTable(tx.db, 'main', 'big');
      await insertRows(
        tx,
        lake.store,
        lake.pieces,
        table,
        'select i as id, md5(i::varchar) as payload, hash(i) / 1e19 as score from range(200000) t(i)',
      );
    });
    const [row] = await lake.session.db.all<{ path: string; size: number; footer: number }>(
      `select path, file_size_bytes as size, footer_size as footer from ${catalogAlias}.ducklake_data_file`,
    );
    if (!row) throw new Error('Test setup: no data file.');
    file = {
      key: `lake/main/big/${row.path}`,
      path: `s3://mart-lake/lake/main/big/${row.path}`,
      size: Number(row.size),
      footer: Number(row.footer),
    };
    expect(file.size).toBeGreaterThan(2_000_000);
    const storage = lake.storage;
    if (!storage) throw new Error('Test setup: the lake has no S3 storage.');
    proxy = await cuttingProxy(Number(new URL(storage.endpoint).port), () => cutAfter);
    cut = { ...storage, endpoint: proxy.endpoint, client: createS3Client(storage.config, proxy.endpoint) };
    db = await Database.open(':memory:');
  });
  afterAll(async () => {
    db?.close();
    cut?.client.destroy();
    await proxy?.close();
    await lake?.remove();
    cache.remove();
  });

  const through = () => cachedLakeFiles(s3ObjectStore(cut, lake.pieces), cache.path);
  const direct = () => cachedLakeFiles(lake.store, cache.path);

  test('a whole-file download cut after 100 KB: an error, and nothing in the cache', async () => {
    cutAfter = 100_000;
    await expect(through().fetch(file.key)).rejects.toThrow(
      /Cannot reach the embedded S3 server .* \(ECONNRESET\)|stopped early/,
    );
    expect(listing(cache.path)).toEqual({});
  });

  test('a ranged read whose column chunks are cut: an error, and nothing in the cache', async () => {
    // The footer (a few KB) gets through; the chunks of `payload` (MBs) do not.
    cutAfter = 64_000;
    const request = { path: file.path, sizeBytes: file.size, footerSize: file.footer, fieldIds: [2] };
    await expect(through().localFiles([request], db)).rejects.toThrow(/ECONNRESET|stopped early/);
    expect(listing(cache.path)).toEqual({});
  });

  test('a partial copy already in the cache stays as it was when a later fill is cut', async () => {
    cutAfter = Number.POSITIVE_INFINITY;
    const request = { path: file.path, sizeBytes: file.size, footerSize: file.footer, fieldIds: [1] };
    const [first] = await direct().localFiles([request], db);
    const before = listing(cache.path);
    const index = Object.keys(before).find((name) => name.endsWith('.ranges.json')) ?? '';
    const indexText = readFileSync(join(cache.path, index), 'utf8');
    expect(Object.keys(before)).toHaveLength(2); // the partial data file and its index
    expect(first?.fieldIds).toEqual([1]);

    cutAfter = 64_000;
    await expect(through().localFiles([{ ...request, fieldIds: [2] }], db)).rejects.toThrow();
    expect(listing(cache.path)).toEqual(before);
    expect(readFileSync(join(cache.path, index), 'utf8')).toBe(indexText);
    // And the copy still reads: the ids, from the bytes that were fetched before.
    expect(
      await db.value<number>(
        `select sum(id)::bigint from read_parquet('${first?.path}', schema = map {1: {name: 'id', type: 'BIGINT', default_value: null}})`,
      ),
    ).toBe((199_999 * 200_000) / 2);

    // Once the network is back, the same fill completes and keeps every byte of both.
    cutAfter = Number.POSITIVE_INFINITY;
    const files = through();
    const [both] = await files.localFiles([{ ...request, fieldIds: [1, 2] }], db);
    expect(both?.fieldIds).toEqual([1, 2]);
    expect(files.downloaded.bytes).toBeLessThan(file.size);
    expect(
      await db.value<number>(
        `select count(distinct payload)::bigint from read_parquet('${both?.path}', schema = map {2: {name: 'payload', type: 'VARCHAR', default_value: null}})`,
      ),
    ).toBe(200_000);
  });
});

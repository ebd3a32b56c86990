import { type CliError, type Database, explainS3Error } from '@mart/shared';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { type LakeSession, openLakeSession } from '../src/ducklake/lake-session.ts';
import {
  type CommitCleanup,
  CommitConflictError,
  catalogAlias,
  commitSnapshot,
  createTable,
  deleteRows,
  describeCleanup,
  insertRows,
  type ObjectStore,
  requireTable,
  s3TestLake,
  type TestLake,
} from '../src/testing/index.ts';
import { expectCatalogInvariants } from './helpers/catalog-invariants.ts';

// A commit uploads its Parquet files first and writes the catalog rows last, in one
// transaction. Whatever fails in between, readers must see the lake as it was and the
// uploaded objects must be deleted again. Failures are injected by wrapping the real
// ObjectStore of a lake on the embedded S3 server.

async function eventsTable(db: Database) {
  const table = await requireTable(db, 'main', 'events');
  return table;
}

/** A lake with main.events (id, writer): snapshot 1 creates it, snapshot 2 inserts ids 1–3. */
async function eventsLake(): Promise<TestLake> {
  const lake = await s3TestLake();
  await commitSnapshot(lake.session, (tx) =>
    createTable(tx, 'main', 'events', [
      { name: 'id', type: 'INTEGER' },
      { name: 'writer', type: 'VARCHAR' },
    ]),
  );
  await commitSnapshot(lake.session, async (tx) =>
    insertRows(
      tx,
      lake.store,
      lake.pieces,
      await eventsTable(tx.db),
      `select i::integer as id, 'setup' as writer from range(1, 4) t(i)`,
    ),
  );
  return lake;
}

/** The real store, recording the keys it uploaded; `fail` replaces the upload with a failure. */
function recordingStore(store: ObjectStore, fail?: Error): ObjectStore & { uploads: string[]; attempts: number } {
  const recording = {
    ...store,
    uploads: [] as string[],
    attempts: 0,
    async put(key: string, localPath: string) {
      recording.attempts += 1;
      if (fail) throw fail;
      await store.put(key, localPath);
      recording.uploads.push(key);
    },
  };
  return recording;
}

/** What a reader can see of the lake, and what is in the bucket. */
async function visibleState(lake: TestLake) {
  const { db } = lake.session;
  return {
    snapshots: await db.all(
      `select snapshot_id, schema_version, next_catalog_id, next_file_id from ${catalogAlias}.ducklake_snapshot order by 1`,
    ),
    changes: await db.value<number>(`select count(*)::bigint from ${catalogAlias}.ducklake_snapshot_changes`),
    dataFiles: await db.all(`select * from ${catalogAlias}.ducklake_data_file order by all`),
    deleteFiles: await db.all(`select * from ${catalogAlias}.ducklake_delete_file order by all`),
    tableStats: await db.all(`select * from ${catalogAlias}.ducklake_table_stats order by all`),
    rows: await lake.rows('main', 'events'),
    objects: (await lake.store.list('lake/')).map((object) => object.key),
  };
}

/** A CliError exactly as withS3Errors makes it from an SDK error with this HTTP status and S3 code. */
function s3Failure(status: number, code: string, message: string): CliError {
  const sdkError = Object.assign(new Error(message), { name: code, $metadata: { httpStatusCode: status } });
  const explained = explainS3Error(sdkError, {
    endpoint: 'http://127.0.0.1:9000',
    bucket: 'mart-lake',
    embedded: false,
  });
  if (!explained) throw new Error('Test setup: explainS3Error did not recognize the error.');
  return explained;
}

describe('a commit that fails between upload and catalog commit', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await eventsLake();
  });
  afterAll(async () => lake?.remove());

  test('a failure after the upload: no new snapshot, the same rows, the uploaded file deleted again', async () => {
    const before = await visibleState(lake);
    const store = recordingStore(lake.store);
    const failure = new Error('injected: the writer stopped after uploading');
    let uploadedBeforeFailure: string[] = [];
    await expect(
      commitSnapshot(lake.session, async (tx) => {
        await insertRows(tx, store, lake.pieces, await eventsTable(tx.db), `select 4 as id, 'lost' as writer`);
        uploadedBeforeFailure = (await lake.store.list('lake/')).map((object) => object.key);
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect(store.uploads).toHaveLength(1);
    expect(uploadedBeforeFailure).toContain(store.uploads[0]);
    expect(await visibleState(lake)).toEqual(before);
    await expectCatalogInvariants(lake);
  });

  test('a failure after a delete file was uploaded: no row deleted, the delete file deleted again', async () => {
    const before = await visibleState(lake);
    const store = recordingStore(lake.store);
    const failure = new Error('injected: the writer stopped after uploading a delete file');
    await expect(
      commitSnapshot(lake.session, async (tx) => {
        expect(await deleteRows(tx, store, lake.fetch, await eventsTable(tx.db), 'id = 2')).toBe(1);
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect(store.uploads).toEqual([expect.stringMatching(/^lake\/main\/events\/ducklake-.+-delete\.parquet$/)]);
    expect(await visibleState(lake)).toEqual(before);
    expect((await lake.rows('main', 'events')).map((row) => row.id)).toEqual([1, 2, 3]);
    await expectCatalogInvariants(lake);
  });

  test('after a failed commit, the next one takes the snapshot and ids the failed one would have had', async () => {
    const before = await visibleState(lake);
    const { snapshotId } = await commitSnapshot(lake.session, async (tx) =>
      insertRows(tx, lake.store, lake.pieces, await eventsTable(tx.db), `select 4 as id, 'kept' as writer`),
    );
    expect(snapshotId).toBe(3);
    const dataFileIds = (await visibleState(lake)).dataFiles.map((file) => file.data_file_id);
    expect(dataFileIds).toEqual([
      ...before.dataFiles.map((file) => file.data_file_id),
      before.snapshots.at(-1)?.next_file_id,
    ]);
    expect((await lake.rows('main', 'events')).map((row) => row.id)).toEqual([1, 2, 3, 4]);
    await expectCatalogInvariants(lake);
  });
});

describe('a failed commit whose cleanup fails too', () => {
  let lake: TestLake;
  beforeEach(async () => {
    lake = await eventsLake();
  });
  afterEach(async () => lake?.remove());

  test('the original error is thrown; the keys left behind are reported, with lake gc to remove them', async () => {
    const store = recordingStore(lake.store);
    const refusing: ObjectStore = {
      ...store,
      delete: async () => {
        throw new Error('injected: the bucket refused the delete');
      },
    };
    const failure = new Error('injected: the writer stopped after uploading');
    let cleanup: CommitCleanup | undefined;
    await expect(
      commitSnapshot(
        lake.session,
        async (tx) => {
          await insertRows(tx, refusing, lake.pieces, await eventsTable(tx.db), `select 4 as id, 'lost' as writer`);
          throw failure;
        },
        { onCleanup: (done) => (cleanup = done) },
      ),
    ).rejects.toBe(failure);
    expect(store.uploads).toHaveLength(1);
    expect(cleanup).toEqual({
      rolledBack: true,
      deleted: [],
      leftBehind: store.uploads,
      problems: [expect.stringContaining('injected: the bucket refused the delete')],
    });
    const text = describeCleanup(cleanup as CommitCleanup) ?? '';
    expect(text).toContain(store.uploads[0]);
    expect(text).toContain('pnpm stage 4 lake gc');
    // The stray object really is there, and nothing in the catalog refers to it.
    expect((await lake.store.list('lake/')).map((object) => object.key)).toContain(store.uploads[0]);
    expect((await lake.rows('main', 'events')).map((row) => row.id)).toEqual([1, 2, 3]);
  });

  test('without onCleanup, a cleanup problem is still said (on stderr), and the original error thrown', async () => {
    const refusing: ObjectStore = {
      ...lake.store,
      delete: async () => {
        throw new Error('injected: no delete');
      },
    };
    const failure = new Error('injected: stop');
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await expect(
        commitSnapshot(lake.session, async (tx) => {
          await insertRows(tx, refusing, lake.pieces, await eventsTable(tx.db), `select 5 as id, 'x' as writer`);
          throw failure;
        }),
      ).rejects.toBe(failure);
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toMatch(/left behind 1 uploaded object.*pnpm stage 4 lake gc/s);
  });

  test('a successful cleanup reports what it deleted and nothing left behind', async () => {
    const store = recordingStore(lake.store);
    let cleanup: CommitCleanup | undefined;
    await expect(
      commitSnapshot(
        lake.session,
        async (tx) => {
          await insertRows(tx, store, lake.pieces, await eventsTable(tx.db), `select 6 as id, 'x' as writer`);
          throw new Error('injected');
        },
        { onCleanup: (done) => (cleanup = done) },
      ),
    ).rejects.toThrow('injected');
    expect(cleanup).toEqual({ rolledBack: true, deleted: store.uploads, leftBehind: [], problems: [] });
    expect(describeCleanup(cleanup as CommitCleanup)).toBeUndefined();
  });
});

describe('a commit whose upload fails', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await eventsLake();
  });
  afterAll(async () => lake?.remove());

  async function commitWith(store: ObjectStore) {
    return commitSnapshot(
      lake.session,
      async (tx) => insertRows(tx, store, lake.pieces, await eventsTable(tx.db), `select 9 as id, 'never' as writer`),
      { retries: 2 },
    );
  }

  test('the upload error propagates as it is: not a CommitConflictError, not retried, nothing visible', async () => {
    const before = await visibleState(lake);
    const failure = s3Failure(500, 'InternalError', 'We encountered an internal error. Please try again.');
    const store = recordingStore(lake.store, failure);
    const error = await commitWith(store).catch((caught: unknown) => caught);
    expect(error).toBe(failure);
    expect(error).not.toBeInstanceOf(CommitConflictError);
    expect(store.attempts, 'retries are for lost races only').toBe(1);
    expect(await visibleState(lake)).toEqual(before);
    await expectCatalogInvariants(lake);
  });

  test('an S3 409 "conflicting operation" on upload is not a lost commit race', async () => {
    // S3 answers 409 OperationAborted when another request on the same key is in flight.
    // That is an upload problem to report, not "another writer committed first".
    const before = await visibleState(lake);
    const failure = s3Failure(
      409,
      'OperationAborted',
      'A conflicting conditional operation is currently in progress against this resource. Please try again.',
    );
    const store = recordingStore(lake.store, failure);
    const error = await commitWith(store).catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(CommitConflictError);
    expect(error).toBe(failure);
    expect(store.attempts, 'retries are for lost races only').toBe(1);
    expect(await visibleState(lake)).toEqual(before);
  });
});

// Two writers on one catalog file. Across processes DuckDB's file lock refuses the
// second one (cli.test.ts). Inside one process DuckDB would let a second database open
// the same file and the two would silently overwrite each other, so openLakeSession
// refuses it. What remains is the commit's own guard: it adds snapshot N+1 only if
// nobody else did (the primary key on snapshot_id), tested here by putting another
// writer's snapshot row in the way.
describe('two writers racing for the same snapshot', () => {
  let lake: TestLake;
  beforeEach(async () => {
    lake = await eventsLake();
  });
  afterEach(async () => lake?.remove());

  /** A commit whose first `losses` attempts find snapshot N+1 already taken by another writer. */
  async function commitLosing(losses: number, retries: number) {
    const store = recordingStore(lake.store);
    let attempts = 0;
    const result = await commitSnapshot(
      lake.session,
      async (tx) => {
        attempts += 1;
        await insertRows(tx, store, lake.pieces, await eventsTable(tx.db), `select 10 as id, 'A' as writer`);
        if (attempts <= losses) {
          // The other writer's snapshot row, as it would be after it committed first.
          await tx.db.run(`insert into ${catalogAlias}.ducklake_snapshot values ($1, now(), 0, 0, 0)`, [tx.snapshotId]);
        }
      },
      { retries },
    ).catch((error: unknown) => error);
    const objects = (await lake.store.list('lake/')).map((object) => object.key);
    return { result, attempts, store, objects };
  }

  test('a second writer session on the same catalog is refused, so no update can be lost', async () => {
    await expect(openLakeSession(lake.session.catalogPath)).rejects.toThrow(
      /is in use by another writer in this process/,
    );
    // A reader is fine.
    const reader = await openLakeSession(lake.session.catalogPath, { readOnly: true }).catch((error: unknown) => error);
    expect(reader).not.toBeInstanceOf(Error);
    (reader as LakeSession).close();
  });

  test('losing the race: CommitConflictError, nothing committed, the upload deleted', async () => {
    const { result, attempts, store, objects } = await commitLosing(1, 0);
    expect(result).toBeInstanceOf(CommitConflictError);
    expect((result as Error).message).toBe('Another writer committed snapshot 3 first.');
    expect(attempts).toBe(1);
    expect(store.uploads.filter((key) => objects.includes(key))).toEqual([]);
    expect((await lake.rows('main', 'events')).map((row) => row.id)).toEqual([1, 2, 3]);
  });

  test('with retries: 1, the loser commits on top: one snapshot, its second upload kept', async () => {
    const { result, attempts, store, objects } = await commitLosing(1, 1);
    expect(result).toMatchObject({ snapshotId: 3 });
    expect(attempts).toBe(2);
    expect(store.uploads.map((key) => objects.includes(key))).toEqual([false, true]);
    expect((await lake.rows('main', 'events')).map((row) => row.id)).toEqual([1, 2, 3, 10]);
  });

  test('retries run out: the conflict is reported', async () => {
    const { result, attempts } = await commitLosing(3, 1);
    expect(result).toBeInstanceOf(CommitConflictError);
    expect(attempts).toBe(2);
  });
});

// Helpers for stage 4's tests and the graded exercise tests: a lake in a temporary
// folder, either on the local disk or in a real embedded S3 server over loopback.
import { join } from 'node:path';
import {
  type Database,
  embeddedCredentials,
  type LakeConfig,
  type LakeStorage,
  MartPaths,
  MineScope,
  openLakeStorage,
} from '@mart/shared';
import { tempDir } from '@mart/shared/testing';
import { cachedLakeFiles } from '../cached-lake-files.ts';
import { createCatalog } from '../ducklake/create-catalog.ts';
import { catalogAlias, type LakeSession, openLakeSession } from '../ducklake/lake-session.ts';
import type { LakeFiles } from '../ducklake/read/lake-files.ts';
import { localLakeFiles } from '../ducklake/read/lake-files.ts';
import { buildTableQuery } from '../ducklake/read/table-query.ts';
import { type CurrentTable, findTable } from '../ducklake/write/current-table.ts';
import { localObjectStore } from '../local-object-store.ts';
import type { ObjectStore } from '../object-store.ts';
import { type LakePieces, loadLakePieces } from '../pieces.ts';
import { s3ObjectStore } from '../s3-object-store.ts';

export { ingestFiles } from '../bronze/ingest-files.ts';
export { dropColumn, renameColumn } from '../ducklake/write/alter-columns.ts';
export {
  type CommitCleanup,
  CommitConflictError,
  commitSnapshot,
  describeCleanup,
} from '../ducklake/write/commit-snapshot.ts';
export { createSchema } from '../ducklake/write/create-schema.ts';
export { createTable, type NewColumn } from '../ducklake/write/create-table.ts';
export { findTable } from '../ducklake/write/current-table.ts';
export { deleteRows } from '../ducklake/write/delete-rows.ts';
export { dropTable } from '../ducklake/write/drop-table.ts';
export { endTableFiles } from '../ducklake/write/end-table-files.ts';
export { insertRows } from '../ducklake/write/insert-rows.ts';
export { parquetFileFacts } from '../ducklake/write/parquet-file-facts.ts';
export { writeDataFile } from '../ducklake/write/write-data-file.ts';
export type { ObjectStore };
export { catalogAlias, localObjectStore, s3ObjectStore };

/** A lake for one test: catalog, object store, file resolver; `remove()` deletes it all. */
export interface TestLake {
  dir: string;
  session: LakeSession;
  store: ObjectStore;
  files: LakeFiles;
  /** Fetches an object by key to a local path (for delete-file reads). */
  fetch(key: string): Promise<string>;
  pieces: LakePieces;
  /** The S3 storage, for lakes in the embedded server. */
  storage?: LakeStorage;
  /** Rows of `schema.table` at a snapshot (latest when omitted), ordered by all columns. */
  rows(schema: string, table: string, snapshot?: number): Promise<Record<string, unknown>[]>;
  remove(): Promise<void>;
}

/**
 * A lake on the local disk: catalog.duckdb and data/ in a temporary folder, data_path
 * 'data/' (what the official extension writes for a local lake).
 */
export async function localTestLake(pieces?: LakePieces): Promise<TestLake> {
  const dir = tempDir('stage-04-lake');
  const session = await openLakeSession(join(dir.path, 'catalog.duckdb'));
  await createCatalog(session, { dataPath: 'data/' });
  const store = localObjectStore(dir.path);
  const files = localLakeFiles(dir.path);
  return withRows({
    dir: dir.path,
    session,
    store,
    files,
    fetch: async (key) => join(dir.path, ...key.split('/')),
    pieces: pieces ?? (await referenceLakePieces()),
    remove: async () => {
      session.close();
      dir.remove();
    },
  });
}

/** A lake in a real embedded S3 server on loopback (s3rver), data_path `s3://<bucket>/lake/`. */
export async function s3TestLake(pieces?: LakePieces): Promise<TestLake> {
  const dir = tempDir('stage-04-s3');
  // Always the embedded server, whatever a .env on this machine says.
  const config: LakeConfig = { ...embeddedCredentials, region: 'us-east-1', bucket: 'mart-lake', embedded: true };
  const storage = await openLakeStorage(config, { directory: join(dir.path, 's3') });
  const lakePieces = pieces ?? (await referenceLakePieces());
  const store = s3ObjectStore(storage, lakePieces);
  const session = await openLakeSession(join(dir.path, 'catalog.duckdb'));
  await createCatalog(session, { dataPath: `${store.urlPrefix}lake/` });
  const files = cachedLakeFiles(store, join(dir.path, 'cache'));
  return withRows({
    dir: dir.path,
    session,
    store,
    files,
    fetch: files.fetch,
    pieces: lakePieces,
    storage,
    remove: async () => {
      session.close();
      await storage.close();
      dir.remove();
    },
  });
}

function withRows(lake: Omit<TestLake, 'rows'>): TestLake {
  return {
    ...lake,
    async rows(schema, table, snapshot) {
      const at =
        snapshot ??
        (await lake.session.db.value<number>(`select max(snapshot_id)::bigint from ${catalogAlias}.ducklake_snapshot`));
      const query = await buildTableQuery({
        db: lake.session.db,
        catalogAlias,
        files: lake.files,
        schema,
        table,
        snapshot: Number(at),
        visibleDataFiles: lake.pieces.visibleDataFiles,
      });
      return lake.session.db.all(`${query.sql} order by all`);
    },
  };
}

/**
 * Stage 4's reference pieces (solutions/04-lakehouse), for tests.
 *
 * @example
 * const { visibleDataFiles } = await referenceLakePieces();
 */
export function referenceLakePieces(): Promise<LakePieces> {
  return loadLakePieces(MineScope.none(), new MartPaths());
}

/**
 * The current table `schema.name`, which the test's own setup created: a setup that did
 * not fails here, by name, instead of on a later `undefined`.
 *
 * @example
 * const table = await requireTable(tx.db, 'main', 'sales');
 */
export async function requireTable(db: Database, schema: string, name: string): Promise<CurrentTable> {
  const table = await findTable(db, schema, name);
  if (!table) throw new Error(`Test setup: ${schema}.${name} does not exist.`);
  return table;
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  CliError,
  type CommandContext,
  type LakeStorage,
  type MartPaths,
  openLakeStorage,
  readLakeConfig,
} from '@mart/shared';
import { cachedLakeFiles } from './cached-lake-files.ts';
import { createCatalog } from './ducklake/create-catalog.ts';
import { type LakeSession, openLakeSession } from './ducklake/lake-session.ts';
import { readDataPath } from './ducklake/write/current-table.ts';
import type { ObjectStore } from './object-store.ts';
import { type LakePieces, loadLakePieces } from './pieces.ts';
import { type QueryPlans, queryPlans } from './query-plans.ts';
import { s3ObjectStore } from './s3-object-store.ts';

/** The catalog of stage 4's lake: a DuckDB file on this machine, its data in the bucket. */
export function catalogPath(paths: MartPaths): string {
  return join(paths.lake(), 'catalog.duckdb');
}

/**
 * The lake's saved query plans (see queryPlans), in the download cache: `lake reset`
 * deletes them with it. `.plans` cannot clash with a bucket's folder there: a bucket
 * name never starts with a dot. Needs only the configuration: nothing is started.
 */
export function lakeQueryPlans(context: Pick<CommandContext, 'paths' | 'env'>): QueryPlans {
  const { bucket } = readLakeConfig(context.env, context.paths.root);
  return queryPlans({
    dir: join(context.paths.lake(), 'cache', '.plans'),
    catalogPath: catalogPath(context.paths),
    urlPrefix: `s3://${bucket}/`,
  });
}

/** Where DuckLake data files go inside the bucket. */
export const lakePrefix = 'lake/';

/** Everything a stage-4 command works with; `close()` stops the embedded server if it started one. */
export interface Lake {
  storage: LakeStorage;
  store: ObjectStore;
  pieces: LakePieces;
  files: ReturnType<typeof cachedLakeFiles>;
  /** Present when the command needs the catalog. */
  session: LakeSession | undefined;
  close(): Promise<void>;
}

/** What opening the lake needs from the command: whose pieces, where things are, the S3 settings. */
export type LakeContext = Pick<CommandContext, 'mine' | 'paths' | 'env'>;

/**
 * Connects to the bucket (starting the embedded S3 server when nothing is configured)
 * and, with `catalog`, opens the DuckLake catalog — creating it on first use with
 * data_path `s3://<bucket>/lake/`.
 *
 * @example
 * const lake = await openLake(context, { catalog: 'read' });
 * try { … } finally { await lake.close(); }
 */
export async function openLake(context: LakeContext, options: { catalog?: 'read' | 'write' } = {}): Promise<Lake> {
  const { paths } = context;
  const pieces = await loadLakePieces(context.mine, paths);
  const storage = await openLakeStorage(readLakeConfig(context.env, paths.root), {
    directory: join(paths.lake(), 's3'),
  });
  const store = s3ObjectStore(storage, pieces);
  let session: LakeSession | undefined;
  try {
    if (options.catalog) session = await openCatalog(catalogPath(paths), store.urlPrefix, options.catalog);
  } catch (error) {
    await storage.close();
    throw error;
  }
  return {
    storage,
    store,
    pieces,
    files: cachedLakeFiles(store, join(paths.lake(), 'cache')),
    session,
    close: async () => {
      session?.close();
      await storage.close();
    },
  };
}

/** Reading a lake whose catalog does not exist yet: nothing was built. */
export class NoCatalogError extends CliError {
  constructor() {
    super('The lake has no tables yet.', { hint: 'Run `pnpm stage 4 ingest` and `pnpm stage 4 build` first.' });
    this.name = 'NoCatalogError';
  }
}

/**
 * The catalog alone, read-only, without connecting to the bucket: for commands that
 * only read catalog rows (`snapshots`), so they work while the S3 endpoint is down.
 * The bucket check uses the configuration only.
 *
 * @example
 * const session = await openCatalogOnly(context);
 * try { … } finally { session.close(); }
 */
export async function openCatalogOnly(context: Pick<CommandContext, 'paths' | 'env'>): Promise<LakeSession> {
  const { bucket } = readLakeConfig(context.env, context.paths.root);
  return openCatalog(catalogPath(context.paths), `s3://${bucket}/`, 'read');
}

async function openCatalog(path: string, urlPrefix: string, mode: 'read' | 'write'): Promise<LakeSession> {
  const exists = existsSync(path);
  if (!exists && mode === 'read') throw new NoCatalogError();
  const session = await openLakeSession(path, { readOnly: mode === 'read' });
  try {
    const expected = `${urlPrefix}${lakePrefix}`;
    if (!exists) await createCatalog(session, { dataPath: expected });
    const dataPath = await readDataPath(session.db);
    if (dataPath !== expected) {
      throw new CliError(
        `The lake catalog ${path} keeps its data in ${dataPath}, but the configured bucket is ${urlPrefix}.`,
        {
          hint: 'Point MART_S3_BUCKET (and MART_S3_ENDPOINT) back at that bucket, or move the catalog away to start a new lake.',
        },
      );
    }
  } catch (error) {
    session.close();
    throw error;
  }
  return session;
}

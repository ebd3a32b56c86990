import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LakeFiles } from './ducklake/read/lake-files.ts';
import type { ObjectStore } from './object-store.ts';

/**
 * Lake files through a local cache: `s3://mart-lake/lake/gold/x/ducklake-….parquet` is
 * downloaded once to `<cacheDir>/mart-lake/lake/gold/x/…` (data/lake/cache/) and read from there with
 * read_parquet. DuckLake data files never change after they are written (a change is a
 * new file), so a cached copy never goes stale.
 */
export function cachedLakeFiles(
  store: ObjectStore,
  cacheDir: string,
): LakeFiles & {
  downloaded: { files: number; bytes: number };
  fetch(key: string): Promise<string>;
} {
  const downloaded = { files: 0, bytes: 0 };
  const bucketFolder = store.urlPrefix
    .replace(/^[a-z0-9]+:\/\//, '')
    .replace(/\/$/, '')
    .replace(/[^A-Za-z0-9._-]/g, '_');
  const fetch = async (key: string): Promise<string> => {
    const local = join(cacheDir, bucketFolder, ...key.split('/'));
    if (!existsSync(local)) {
      await store.get(key, local);
      downloaded.files += 1;
      downloaded.bytes += statSync(local).size;
    }
    return local;
  };
  return {
    downloaded,
    fetch,
    async localPath(resolvedPath) {
      if (!resolvedPath.startsWith(store.urlPrefix)) {
        throw new Error(`${resolvedPath} is not in ${store.description}: is this catalog for another bucket?`);
      }
      return fetch(resolvedPath.slice(store.urlPrefix.length));
    },
  };
}

import { isAbsolute, join } from 'node:path';
import { CliError } from '@mart/shared';
import { isUrl } from '../../given/index.ts';

/**
 * Where the reader gets a lake file from. The catalog names files by their full data
 * path (data_path + schema path + table path + file path); DuckDB needs a path it can
 * open. A local lake maps one onto the other, an S3 lake downloads into a cache.
 */
export interface LakeFiles {
  /** A path DuckDB can read for the file the catalog calls `resolvedPath`. */
  localPath(resolvedPath: string): Promise<string>;
}

/**
 * Files of a lake on the local disk. A relative data path (`data/`, what the official
 * extension stores when attached with `DATA_PATH 'data/'`) is relative to the folder of
 * the catalog file, so the catalog and its data can move together.
 *
 * @example
 * const files = localLakeFiles('test/fixtures/ducklake-extension');
 * await files.localPath('data/main/sales/ducklake-01a2….parquet');
 * // → 'test/fixtures/ducklake-extension/data/main/sales/ducklake-01a2….parquet'
 */
export function localLakeFiles(catalogDir: string): LakeFiles {
  return {
    async localPath(resolvedPath: string): Promise<string> {
      if (isUrl(resolvedPath)) {
        throw new CliError(`The lake file ${resolvedPath} is not on this machine.`, {
          hint: 'Read this lake with the object-store file resolver, not the local one.',
        });
      }
      return isAbsolute(resolvedPath) ? resolvedPath : join(catalogDir, resolvedPath);
    },
  };
}

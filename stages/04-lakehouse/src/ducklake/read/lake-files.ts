import { isAbsolute, join } from 'node:path';
import { CliError, type Database } from '@mart/shared';
import { isUrl } from '../../given/index.ts';

/**
 * Where the reader gets a lake file from. The catalog names files by their full data
 * path (data_path + schema path + table path + file path); DuckDB needs a path it can
 * open. A local lake maps one onto the other, an S3 lake downloads into a cache.
 */
export interface LakeFiles {
  /** A path DuckDB can read for the file the catalog calls `resolvedPath`: the whole file. */
  localPath(resolvedPath: string): Promise<string>;
  /**
   * Several data files at once (fetched in parallel), each only as far as the query
   * needs it: the columns of `fieldIds` (see {@link LakeFileRequest}). `db` reads the
   * footers. Optional: without it the reader asks `localPath` for whole files.
   */
  localFiles?(requests: readonly LakeFileRequest[], db: Database): Promise<LocalLakeFile[]>;
}

/** One data file a query reads, and which of its columns it reads. */
export interface LakeFileRequest {
  /** The catalog's full path of the file (data path + schema + table + file). */
  path: string;
  /** From ducklake_data_file; unknown (null): the whole file is fetched. */
  sizeBytes?: number | null;
  /** From ducklake_data_file: the footer's length, which the reader fetches first. */
  footerSize?: number | null;
  /** Parquet field ids (column ids) of the columns read; undefined: every column. */
  fieldIds?: readonly number[];
}

/**
 * A local copy DuckDB can read: the whole file, or a file of the same size holding the
 * footer and the column chunks of `fieldIds` (other bytes are zero). Read only those
 * columns from a partial one: `read_parquet(path, schema = map {…those field ids…})`.
 */
export interface LocalLakeFile {
  path: string;
  /**
   * Field ids that read correctly: every one asked for (those the file lacks too: they
   * read as their default), and, when none was asked for, one more (a query must read
   * some column). 'all': the whole file is there.
   */
  fieldIds: readonly number[] | 'all';
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

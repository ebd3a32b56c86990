import type { Database } from '@mart/shared';
import { quoteLiteral } from '@mart/shared';

/** What the catalog records about a Parquet file, read from the file itself. */
export interface ParquetFileFacts {
  fileSizeBytes: number;
  footerSize: number;
  /** Compressed bytes per top-level column name. */
  columnSizes: Map<string, number>;
}

/**
 * Size, footer size and per-column compressed sizes of a local Parquet file, from
 * DuckDB's parquet_file_metadata() and parquet_metadata(): the numbers a DuckLake
 * reader uses to plan its reads, so they must be the file's real ones.
 */
export async function parquetFileFacts(db: Database, localPath: string): Promise<ParquetFileFacts> {
  const path = quoteLiteral(localPath);
  const [file] = await db.all<{ file_size_bytes: number; footer_size: number }>(
    `select file_size_bytes::bigint as file_size_bytes, footer_size::bigint as footer_size from parquet_file_metadata(${path})`,
  );
  const sizes = await db.all<{ name: string; bytes: number }>(
    `select path_in_schema as name, sum(total_compressed_size)::bigint as bytes
       from parquet_metadata(${path}) group by path_in_schema`,
  );
  return {
    fileSizeBytes: Number(file?.file_size_bytes ?? 0),
    footerSize: Number(file?.footer_size ?? 0),
    columnSizes: new Map(sizes.map((row) => [row.name, Number(row.bytes)])),
  };
}

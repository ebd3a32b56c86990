import { CliError, type Database, quoteQualified } from '@mart/shared';

/** The catalog-wide settings a reader needs from `ducklake_metadata`. */
export interface LakeMetadata {
  /** DuckLake format version, `'1.0'` for the catalogs this reader understands. */
  version: string;
  /** Prefix of every relative path: `data/` (relative to the catalog's folder) or `s3://bucket/lake/`. */
  dataPath: string;
}

/**
 * Reads the format version and data path (spec: `ducklake_metadata`; the keys without a
 * scope are the catalog-wide ones). Refuses other format versions: their catalog tables
 * have other columns, and a wrong answer is worse than a clear error.
 *
 * @example
 * const { dataPath } = await readLakeMetadata(db, '__lake'); // → { version: '1.0', dataPath: 'data/' }
 */
export async function readLakeMetadata(db: Database, alias: string): Promise<LakeMetadata> {
  const rows = await db.all<{ key: string; value: string }>(
    `select "key", "value" from ${quoteQualified(alias, 'ducklake_metadata')} where "scope" is null`,
  );
  const setting = new Map(rows.map((row) => [row.key, row.value]));
  const version = setting.get('version') ?? 'unknown';
  if (version !== '1.0') {
    throw new CliError(`This DuckLake catalog has format version ${version}; the reader understands 1.0 only.`, {
      hint: 'Migrate the catalog with DuckDB 1.5 (ducklake extension), or write it with this course.',
    });
  }
  const dataPath = setting.get('data_path');
  if (dataPath === undefined) throw new CliError('The DuckLake catalog has no data_path in ducklake_metadata.');
  return { version, dataPath };
}

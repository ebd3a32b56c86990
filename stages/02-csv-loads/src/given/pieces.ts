import type { Database } from '@mart/shared';
import type { CastSql, ColumnSpec, FileReconciliation, Reference, RowReject } from './types.ts';

/**
 * The pieces stage 2's loader is built from: what exercises/02-csv-loads/ (yours) and
 * solutions/02-csv-loads/ (the reference) both export.
 */
export interface CsvLoadPieces {
  /** The header's names, or an InputFileError saying what is wrong (see check-header.ts). */
  checkHeader(file: string, header: readonly string[], expected: readonly string[]): string[];
  /** SQL typing one staged column, with the reason a value is rejected (see cast-column.ts). */
  castColumn(column: ColumnSpec): CastSql;
  /** Rows repeating an earlier row's key (see find-duplicates.ts). */
  findDuplicates(db: Database, table: string, key: readonly string[]): Promise<RowReject[]>;
  /** Rows pointing at a dimension row that does not exist (see find-orphans.ts). */
  findOrphans(db: Database, reference: Reference): Promise<RowReject[]>;
  /** read = loaded + rejected, per file (see reconcile-files.ts). */
  reconcileFiles(db: Database): Promise<FileReconciliation[]>;
}

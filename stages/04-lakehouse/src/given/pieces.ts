import type { S3Client } from '@aws-sdk/client-s3';
import type { Database } from '@mart/shared';
import type { BronzeObject, CurrentTable, NewDataFile, ObjectEntry, SnapshotWriter, VisibleDataFile } from './types.ts';

/**
 * The pieces stage 4's lake is built from: what exercises/04-lakehouse/ (yours) and
 * solutions/04-lakehouse/ (the reference) both export.
 */
export interface LakePieces {
  /** The object key of a bronze file (see bronze-key.ts). */
  bronzeKey(object: BronzeObject): string;
  /** PutObject of a local file, streamed (see upload-and-list.ts). */
  uploadFile(s3: S3Client, bucket: string, key: string, localPath: string): Promise<void>;
  /** Every key under a prefix, page by page (see upload-and-list.ts). */
  listKeys(s3: S3Client, bucket: string, prefix: string, pageSize?: number): Promise<ObjectEntry[]>;
  /** The data files a snapshot sees, with their delete files (see visible-files.ts). */
  visibleDataFiles(
    db: Database,
    alias: string,
    table: { id: number; path: string },
    snapshotId: number,
  ): Promise<VisibleDataFile[]>;
  /** Catalog rows and statistics for one new data file (see register-data-file.ts). */
  registerDataFile(tx: SnapshotWriter, table: CurrentTable, file: NewDataFile): Promise<number>;
  /** A new column that old files still read (see add-column.ts). */
  addColumn(
    tx: SnapshotWriter,
    table: CurrentTable,
    column: { name: string; lakeType: string; default?: string | null },
  ): Promise<number>;
}

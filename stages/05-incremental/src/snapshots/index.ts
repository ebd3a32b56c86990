// SCD2 snapshots: check strategy (the snapshotCheckSql piece) and timestamp strategy, hard deletes.
export { isDeletedColumn, runSnapshot } from './run-snapshot.ts';
export { type HardDeletes, type SnapshotConfig, snapshotConfig } from './snapshot-config.ts';

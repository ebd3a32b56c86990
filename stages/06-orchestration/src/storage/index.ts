// Run and event storage: SQLite in WAL mode under data/runs/ (see run-storage.ts).
export { AssetLockedError } from './errors.ts';
export { processAlive, thisHost } from './process-liveness.ts';
export {
  type AcquireLocksOptions,
  type CheckResultOptions,
  type CreateBackfillOptions,
  type CreateRunOptions,
  type DeadRun,
  type MaterializationOptions,
  RunStorage,
  type RunStorageOptions,
  runStoragePath,
} from './run-storage.ts';
export {
  type ClaimTickOptions,
  type InstigatorType,
  type TickRecord,
  type TickStatus,
  TickStore,
} from './tick-store.ts';
export * from './types.ts';

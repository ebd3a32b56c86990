// Daily partitions and backfill policies (Dagster's DailyPartitionsDefinition and BackfillPolicy).
export {
  type BackfillPolicy,
  backfillPolicy,
  type PartitionRun,
  planBackfillRuns,
  resolveBackfillPolicy,
} from './backfill-policy.ts';
export {
  type DailyPartitionsDefinition,
  type DailyPartitionsOptions,
  dailyPartitions,
  keysBetween,
  lastPartition,
  type PartitionKeyRange,
  type PartitionTimeWindow,
  partitionKeys,
  partitionRange,
  partitionTimeWindow,
} from './daily-partitions.ts';

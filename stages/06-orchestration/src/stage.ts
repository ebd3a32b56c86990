import type { StageDefinition } from '@mart/shared';

export const stage: StageDefinition = {
  number: 6,
  name: 'orchestration',
  title: 'Orchestration (Dagster-style assets, runs, partitions, schedules, lineage)',
  learn: 'assets vs tasks, selection, partitions and backfills, retries, checks, schedules, sensors, run storage, lineage',
  next: 'runs',
  commands: {},
};

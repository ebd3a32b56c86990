import type { StageDefinition } from '@mart/shared';

export const stage: StageDefinition = {
  number: 5,
  name: 'incremental',
  title: 'Incremental models (a dbt-compatible runner)',
  learn: 'models as SELECTs, the DAG, materializations, incremental strategies, late data, SCD2 snapshots, tests',
  next: 'ls',
  commands: {
    generate: () => import('./commands/generate.ts').then((m) => m.generate),
  },
};

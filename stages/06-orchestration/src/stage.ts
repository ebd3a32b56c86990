import type { StageDefinition } from '@mart/shared';

export const stage: StageDefinition = {
  number: 6,
  name: 'orchestration',
  title: 'Orchestration (Dagster-style assets, runs, partitions, schedules, lineage)',
  learn:
    'assets vs tasks, selection, partitions and backfills, retries, checks, schedules, sensors, run storage, lineage',
  // It builds in the lake that stage 4's build makes (and reads stage 5's project).
  readsFrom: [4],
  next: 'runs',
  commands: {
    build: () => import('./commands/build.ts').then((m) => m.build),
    materialize: () => import('./commands/materialize.ts').then((m) => m.materialize),
    runs: () => import('./commands/runs.ts').then((m) => m.runs),
    assets: () => import('./commands/assets.ts').then((m) => m.assets),
    schedule: () => import('./commands/schedule.ts').then((m) => m.schedule),
    inbox: () => import('./commands/inbox.ts').then((m) => m.inbox),
    serve: () => import('./commands/serve.ts').then((m) => m.serve),
  },
};

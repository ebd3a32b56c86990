import type { StageDefinition } from '@mart/shared';

export const stage: StageDefinition = {
  number: 2,
  name: 'csv-loads',
  title: 'CSV loads with validation',
  learn: 'input-driven ETL, staging, typing, rejects, reconciliation',
  commands: {
    build: () => import('./commands/build.ts').then((m) => m.build),
    generate: () => import('./commands/generate.ts').then((m) => m.generate),
    // Same star schema as stage 1, so its commands work here unchanged: reused, not copied.
    explore: () => import('@mart/stage-01-star-schema').then((m) => m.exploreCommand(2)),
    export: () => import('@mart/stage-01-star-schema').then((m) => m.exportCommand(2)),
    inspect: () => import('@mart/stage-01-star-schema').then((m) => m.inspectCommand(2)),
  },
};

import type { StageDefinition } from '@mart/shared';

export const stage: StageDefinition = {
  number: 3,
  name: 'quality',
  title: 'Data quality checks and a publishing gate',
  learn: 'declarative checks, thresholds, reports, blocking bad data',
  next: 'quality',
  commands: {
    build: () => import('./commands/build.ts').then((m) => m.build),
    quality: () => import('./commands/quality.ts').then((m) => m.quality),
    // Same star schema as stages 1 and 2: their commands, reused by import.
    explore: () => import('@mart/stage-01-star-schema').then((m) => m.exploreCommand(3)),
    export: () => import('@mart/stage-01-star-schema').then((m) => m.exportCommand(3)),
    inspect: () => import('@mart/stage-01-star-schema').then((m) => m.inspectCommand(3)),
  },
};

import type { StageDefinition } from '@mart/shared';

export const stage: StageDefinition = {
  number: 1,
  name: 'star-schema',
  title: 'Hardcoded star schema',
  learn: 'grain, surrogate keys, facts vs dimensions, joins',
  commands: {
    build: () => import('./commands/build.ts').then((m) => m.build),
    explore: () => import('./commands/explore.ts').then((m) => m.exploreCommand(1)),
    export: () => import('./commands/export.ts').then((m) => m.exportCommand(1)),
    inspect: () => import('./commands/inspect.ts').then((m) => m.inspectCommand(1)),
  },
};

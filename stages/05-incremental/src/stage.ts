import type { StageDefinition } from '@mart/shared';

export const stage: StageDefinition = {
  number: 5,
  name: 'incremental',
  title: 'Incremental models (a dbt-compatible runner)',
  learn: 'models as SELECTs, the DAG, materializations, incremental strategies, late data, SCD2 snapshots, tests',
  // Its models read the lake that stage 4's build writes.
  readsFrom: [4],
  next: 'generate',
  commands: {
    build: () => import('./commands/build.ts').then((m) => m.build),
    seed: () => import('./commands/seed.ts').then((m) => m.seed),
    run: () => import('./commands/run.ts').then((m) => m.run),
    snapshot: () => import('./commands/snapshot.ts').then((m) => m.snapshot),
    test: () => import('./commands/test.ts').then((m) => m.test),
    compile: () => import('./commands/compile.ts').then((m) => m.compile),
    ls: () => import('./commands/ls.ts').then((m) => m.ls),
    clean: () => import('./commands/clean.ts').then((m) => m.clean),
    generate: () => import('./commands/generate.ts').then((m) => m.generate),
  },
};

import type { StageDefinition } from '@mart/shared';

export const stage: StageDefinition = {
  number: 4,
  name: 'lakehouse',
  title: 'Lakehouse on object storage (S3 + DuckLake)',
  learn: 'object storage, Parquet, bronze/silver/gold, snapshots and time travel',
  next: 'snapshots',
  commands: {
    build: () => import('./commands/build.ts').then((m) => m.build),
    ingest: () => import('./commands/ingest.ts').then((m) => m.ingest),
    snapshots: () => import('./commands/snapshots.ts').then((m) => m.snapshots),
    query: () => import('./commands/query.ts').then((m) => m.query),
    lake: () => import('./commands/lake.ts').then((m) => m.lake),
    // The build keeps a local copy of silver and gold: stage 1's commands read it, and
    // explore adds the gold marts to stage 1's analyses.
    explore: async () => {
      const [{ exploreCommand }, { goldAnalyses }] = await Promise.all([
        import('@mart/stage-01-star-schema'),
        import('./gold/gold-analyses.ts'),
      ]);
      return exploreCommand(4, goldAnalyses);
    },
    // Stage 1's export, with the gold marts of the serving copy beside the star schema.
    export: async () => {
      const [{ exportCommand }, { goldServingTables }] = await Promise.all([
        import('@mart/stage-01-star-schema'),
        import('./serving-copy.ts'),
      ]);
      return exportCommand(4, goldServingTables);
    },
    inspect: () => import('@mart/stage-01-star-schema').then((m) => m.inspectCommand(4)),
  },
};

import { nodeCommand } from './node-command.ts';

export const build = nodeCommand(
  'build',
  'Seeds, models, snapshots and tests in DAG order, each node’s tests right after it (a failing test skips what depends on it).',
  [
    'pnpm stage 5 build',
    'pnpm stage 5 build --select +fct_sales',
    'pnpm stage 5 build --full-refresh',
    'pnpm stage 5 build --mine',
  ],
);

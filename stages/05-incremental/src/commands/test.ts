import { nodeCommand } from './node-command.ts';

export const test = nodeCommand(
  'test',
  'Run the data tests (yml tests and tests/*.sql): each query returns the failing rows.',
  ['pnpm stage 5 test', 'pnpm stage 5 test --select stg_sales', 'pnpm stage 5 test --select test_name:unique'],
);

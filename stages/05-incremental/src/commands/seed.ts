import { nodeCommand } from './node-command.ts';

export const seed = nodeCommand('seed', 'Load the CSV files of seeds/ into tables, with the types dbt infers.', [
  'pnpm stage 5 seed',
  'pnpm stage 5 seed --full-refresh',
]);

import { nodeCommand } from './node-command.ts';

export const run = nodeCommand('run', 'Build the models (not seeds, snapshots or tests) in DAG order.', [
  'pnpm stage 5 run',
  'pnpm stage 5 run --select staging',
  'pnpm stage 5 run -s daily_revenue --event-time-start 2025-01-03 --event-time-end 2025-01-05',
]);

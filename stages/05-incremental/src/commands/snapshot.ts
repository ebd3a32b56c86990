import { nodeCommand } from './node-command.ts';

export const snapshot = nodeCommand(
  'snapshot',
  'Take the SCD2 snapshots: new versions for what changed since the last run.',
  ['pnpm stage 5 snapshot'],
);

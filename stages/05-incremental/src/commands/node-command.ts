import { type Command, defineCommand } from '@mart/shared';
import type { ExecuteCommand } from '../run/execution-graph.ts';
import { projectOptions, selectionOptions } from './project-options.ts';
import { runNodes } from './run-nodes.ts';

/**
 * `seed`, `run`, `snapshot`, `test` and `build`: the same flags as dbt's, the same
 * engine; only which nodes they run differs.
 */
export function nodeCommand(command: ExecuteCommand, description: string, examples: string[]): Command {
  return defineCommand({
    description,
    options: {
      ...projectOptions,
      ...selectionOptions,
      'full-refresh': { type: 'boolean', description: 'Rebuild incremental models (and seeds) from scratch.' },
      threads: {
        type: 'string',
        valueName: 'N',
        description: 'How many nodes may run at once (default the profile’s, 1).',
      },
      'fail-fast': { type: 'boolean', description: 'Stop at the first error: the nodes not started yet are skipped.' },
      'event-time-start': {
        type: 'string',
        valueName: 'TIME',
        description: 'Microbatch models: re-run exactly the window from here (with --event-time-end).',
      },
      'event-time-end': {
        type: 'string',
        valueName: 'TIME',
        description: 'Microbatch models: the window ends here (exclusive).',
      },
    },
    examples,
    run: (context) => runNodes(context, command),
  });
}

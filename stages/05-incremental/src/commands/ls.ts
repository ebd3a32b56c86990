import { log } from '@clack/prompts';
import { defineCommand, writeLine } from '@mart/shared';
import { readStateManifest } from '../artifacts/state-manifest.ts';
import type { ResourceType } from '../manifest/types.ts';
import { listNodes } from '../selection/list-nodes.ts';
import { selectNodes } from '../selection/select-nodes.ts';
import { openProject } from './open-project.ts';
import { projectChoice, projectOptions, selectionOptions } from './project-options.ts';

const resourceTypes = ['model', 'seed', 'snapshot', 'test', 'source'] as const;

export const ls = defineCommand({
  description: 'List the project’s nodes, as dbt ls does: selectors, names, paths or JSON (one object per line).',
  options: {
    ...projectOptions,
    ...selectionOptions,
    output: {
      type: 'string',
      description: 'selector (fqn), name, path or json.',
      default: 'selector',
      choices: ['selector', 'name', 'path', 'json'],
    },
    'output-keys': {
      type: 'string',
      valueName: 'KEYS',
      description: 'With --output json: the keys to keep, space-separated.',
    },
    'resource-type': {
      type: 'string',
      multiple: true,
      choices: [...resourceTypes, 'all'],
      description: 'Only these resource types (repeat for several; default all).',
    },
  },
  withoutMine: false,
  examples: [
    'pnpm stage 5 ls',
    'pnpm stage 5 ls --select +daily_revenue --output name',
    'pnpm stage 5 ls --output json --resource-type model',
  ],
  async run(context) {
    const { options, io, paths } = context;
    const choice = projectChoice(options, paths);
    const { project, manifest } = await openProject(context, choice);
    const chosen = options['resource-type'];
    const types: ResourceType[] =
      chosen.length === 0 || chosen.includes('all') ? [...resourceTypes] : (chosen as ResourceType[]);
    const selected = selectNodes(manifest, {
      select: options.select,
      exclude: options.exclude,
      resourceTypes: types,
      stateManifest: options.state === undefined ? undefined : readStateManifest(paths.resolve(options.state)),
      onWarning: (message) => log.warn(message, { output: io.error ?? io.output }),
    });
    const lines = listNodes(manifest, selected, {
      output: options.output,
      outputKeys: options['output-keys']?.split(/\s+/).filter(Boolean),
      projectRoot: project.root,
      targetPath: project.targetPath,
    });
    // Plain lines on stdout, so `pnpm stage 5 ls --output json | jq` works.
    for (const line of lines) writeLine(io, line);
    return 0;
  },
});

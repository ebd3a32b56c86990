import { fileURLToPath } from 'node:url';
import type { MartPaths, OptionSpecs } from '@mart/shared';
import { UsageError } from '@mart/shared';
import { parse } from 'yaml';

/** Shown in --help for the project folder when none is given: the stage's own. */
export const stageProjectShownAs = 'stages/05-incremental/project';

/**
 * The committed project, found beside this code (as stage 3 finds its checks.yml), not
 * under MART_REPO_ROOT: a learner's copy of the course (learnerCourse in tests, `--mine`)
 * holds exercises and data, while the stage's code and its project come from the checkout.
 */
const stageProjectDir = fileURLToPath(new URL('../../project', import.meta.url));

/** dbt's flags that every stage 5 command understands. */
export const projectOptions = {
  'project-dir': {
    type: 'string',
    valueName: 'DIR',
    description: 'The dbt project folder (dbt_project.yml).',
    default: stageProjectShownAs,
  },
  'target-path': {
    type: 'string',
    valueName: 'DIR',
    description:
      "Where manifest.json, run_results.json and compiled SQL go (default the stage's data/target/stage-05).",
  },
  vars: {
    type: 'string',
    valueName: 'YAML',
    description: "Variables for var(), as YAML or JSON: '{lookback_days: 7}'.",
  },
  'profiles-dir': {
    type: 'string',
    valueName: 'DIR',
    description: 'Where profiles.yml is (default the project folder).',
  },
  target: { type: 'string', valueName: 'NAME', description: 'A profiles.yml output other than its default.' },
} as const satisfies OptionSpecs;

/** `--select` and friends, for the commands that pick nodes. */
export const selectionOptions = {
  select: {
    type: 'string',
    short: 's',
    multiple: true,
    valueName: 'SELECTOR',
    description: "dbt's node selection: names, +graph+, tag:, path:, config.materialized:, state:modified…",
  },
  exclude: { type: 'string', multiple: true, valueName: 'SELECTOR', description: 'Nodes to leave out (same syntax).' },
  state: { type: 'string', valueName: 'DIR', description: 'A folder with a saved manifest.json, for state:modified.' },
} as const satisfies OptionSpecs;

/** The project a command works on, from its options. */
export interface ProjectChoice {
  projectDir: string;
  /** Undefined: the project's own target-path, or the stage's data/target/stage-05 for the stage's project. */
  targetPath: string | undefined;
  vars: Record<string, unknown>;
  profilesDir: string | undefined;
  targetName: string | undefined;
  /** The committed project of stage 5 (its sources are the lake). */
  isStageProject: boolean;
}

/** Reads the project options: folders resolved from where the learner typed, --vars parsed. */
export function projectChoice(
  options: {
    'project-dir': string;
    'target-path': string | undefined;
    vars: string | undefined;
    'profiles-dir': string | undefined;
    target: string | undefined;
  },
  paths: MartPaths,
): ProjectChoice {
  const isStageProject = options['project-dir'] === stageProjectShownAs;
  const projectDir = isStageProject ? stageProjectDir : paths.resolve(options['project-dir']);
  const targetPath =
    options['target-path'] !== undefined
      ? paths.resolve(options['target-path'])
      : isStageProject
        ? `${paths.data}/target/stage-05`
        : undefined;
  return {
    projectDir,
    targetPath,
    vars: parseVars(options.vars),
    profilesDir: options['profiles-dir'] === undefined ? undefined : paths.resolve(options['profiles-dir']),
    targetName: options.target,
    isStageProject,
  };
}

/**
 * `--vars '{key: value}'`: YAML (so JSON too), as dbt takes it; it must be a mapping.
 *
 * @example
 * parseVars('{lookback_days: 7}') // → { lookback_days: 7 }
 */
export function parseVars(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {};
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new UsageError(`--vars is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`, {
      hint: `Write a mapping, e.g. --vars '{lookback_days: 7}'.`,
    });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`--vars must be a mapping of names to values, not ${JSON.stringify(value)}.`, {
      hint: `For example --vars '{lookback_days: 7, regions: [North, South]}'.`,
    });
  }
  return value as Record<string, unknown>;
}

import { existsSync } from 'node:fs';
import { basename, extname, isAbsolute, join, resolve } from 'node:path';
import { CliError } from '@mart/shared';
import { readProfile } from './read-profile.ts';
import { renderDeep, yamlValueRenderer } from './render-yaml-values.ts';
import type { DbtProject, DuckDbTarget } from './types.ts';
import { readYamlFile, type YamlFile } from './yaml-file.ts';

/** Options for {@link loadProject}. */
export interface LoadProjectOptions {
  /** The folder holding dbt_project.yml (`--project-dir`). */
  projectDir: string;
  /** `--target-path`; relative to the project folder, as in dbt. */
  targetPath?: string | undefined;
  /** `--vars`, already parsed (YAML or JSON). They win over dbt_project.yml's `vars:`. */
  vars?: Record<string, unknown> | undefined;
  /** For `env_var()` in dbt_project.yml and profiles.yml, and `DBT_PROFILES_DIR` / `DBT_TARGET_PATH`. */
  env: NodeJS.ProcessEnv;
  /** The warehouse to build into when there is no profiles.yml (the stage's own). */
  defaultTarget: { path: string; schema?: string | undefined };
  /** `--profiles-dir`. */
  profilesDir?: string | undefined;
  /** `--target`: a profiles.yml output other than its `target:`. */
  targetName?: string | undefined;
  /** `--threads`: overrides the profile's. */
  threads?: number | undefined;
}

/** Keys of dbt_project.yml that are read. */
const supportedKeys = new Set([
  'name',
  'profile',
  'model-paths',
  'seed-paths',
  'macro-paths',
  'snapshot-paths',
  'test-paths',
  'target-path',
  'vars',
  'models',
  'seeds',
  'snapshots',
  'data_tests',
  'tests',
  'sources',
  'docs-paths',
  'clean-targets',
]);

/** Keys that change nothing the runner does (versions, folders for things it has not got). */
const harmlessKeys = new Set([
  'version',
  'config-version',
  'require-dbt-version',
  'analysis-paths',
  'asset-paths',
  'log-path',
  'packages-install-path',
]);

/** What each unsupported key does in dbt, for its warning. */
const unsupportedKeys: Record<string, string> = {
  'on-run-start': 'hooks at the start of a run are not run',
  'on-run-end': 'hooks at the end of a run are not run',
  dispatch: 'macro dispatch is not supported',
  'query-comment': 'query comments are not added',
  flags: 'project flags are not read',
  quoting: 'quoting settings are ignored (identifiers are always quoted)',
  packages: 'packages are not installed',
  metrics: 'metrics are not supported',
  exposures: 'exposures are not supported',
  'semantic-models': 'semantic models are not supported',
  'saved-queries': 'saved queries are not supported',
  unit_tests: 'unit tests are not supported',
  'restrict-access': 'model access is not enforced',
};

/** Keys whose values are Jinja rendered later (or never), not at load time. */
const unrenderedKeys = new Set([
  'pre-hook',
  'post-hook',
  'pre_hook',
  'post_hook',
  'vars',
  'on-run-start',
  'on-run-end',
]);

/**
 * Reads a dbt project folder: dbt_project.yml (with the Jinja in its values rendered)
 * and, when there is one, profiles.yml. Keys the runner does not act on are collected
 * in `warnings` (one each); a missing or invalid dbt_project.yml is a CliError naming
 * the file, line and column.
 *
 * @example
 * const project = loadProject({ projectDir: 'stages/05-incremental/project', env: process.env,
 *   defaultTarget: { path: 'data/warehouse/stage-05.duckdb' } });
 */
export function loadProject(options: LoadProjectOptions): DbtProject {
  const root = resolve(options.projectDir);
  const projectFile = join(root, 'dbt_project.yml');
  if (!existsSync(projectFile)) {
    throw new CliError(`No dbt_project.yml found at expected path ${projectFile}`, {
      hint: 'Pass the folder that holds dbt_project.yml with --project-dir.',
    });
  }
  const yml = readYamlFile(projectFile, 'dbt_project.yml');
  const data = asRecord(yml.value);
  const name = data.name;
  if (typeof name !== 'string' || name === '') {
    throw yml.error([], "dbt_project.yml has no name: (the project's name, e.g. name: jaffle_shop)");
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw yml.error(['name'], `the project name '${name}' is not valid: use letters, digits and underscores`);
  }
  const warnings: string[] = [];
  for (const key of Object.keys(data)) {
    if (supportedKeys.has(key) || harmlessKeys.has(key)) continue;
    const at = yml.position([key]);
    const what = unsupportedKeys[key] ?? 'this key is not known';
    warnings.push(`dbt_project.yml:${at.line}:${at.column}: '${key}' is ignored (${what}).`);
  }
  for (const file of ['packages.yml', 'dependencies.yml']) {
    if (existsSync(join(root, file))) {
      warnings.push(
        `${file}: packages are not supported and are not installed; copy the macros you need into macros/.`,
      );
    }
  }

  const cliVars = options.vars ?? {};
  const projectVars = asRecord(data.vars);
  const vars = { ...projectVars, ...cliVars };
  const profileName = typeof data.profile === 'string' ? data.profile : null;
  // profiles.yml may use env_var() only (no target yet).
  const profileRender = yamlValueRenderer({
    projectName: name,
    target: { name: 'default', schema: 'main', database: 'memory', type: 'duckdb', threads: 1 },
    vars,
    env: options.env,
    file: 'profiles.yml',
  });
  const profile = readProfile({
    projectDir: root,
    profilesDir: options.profilesDir,
    profileName,
    targetName: options.targetName,
    env: options.env,
    render: (text) => String(profileRender(text)),
  });
  warnings.push(...(profile?.warnings ?? []));
  const target: DuckDbTarget = profile
    ? { ...profile.target, threads: options.threads ?? profile.target.threads ?? 1 }
    : defaultTarget(options);

  const render = yamlValueRenderer({ projectName: name, target, vars, env: options.env, file: 'dbt_project.yml' });
  const rendered = asRecord(renderDeep(data, render, unrenderedKeys));
  const paths = (key: string, fallback: string[]) => stringList(yml, rendered, key, fallback);
  const modelPaths = paths('model-paths', ['models']);
  const seedPaths = paths('seed-paths', ['seeds']);
  const macroPaths = paths('macro-paths', ['macros']);
  const snapshotPaths = paths('snapshot-paths', ['snapshots']);
  const testPaths = paths('test-paths', ['tests']);
  const targetSetting =
    options.targetPath ??
    options.env.DBT_TARGET_PATH ??
    (typeof rendered['target-path'] === 'string' ? rendered['target-path'] : 'target');
  const targetPath = isAbsolute(targetSetting) ? targetSetting : resolve(root, targetSetting);
  const dataTests = { ...asRecord(rendered.tests), ...asRecord(rendered.data_tests) };
  return {
    root,
    name,
    modelPaths,
    seedPaths,
    macroPaths,
    snapshotPaths,
    testPaths,
    targetPath,
    vars,
    configBlocks: {
      models: asRecord(rendered.models),
      seeds: asRecord(rendered.seeds),
      snapshots: asRecord(rendered.snapshots),
      data_tests: dataTests,
      sources: asRecord(rendered.sources),
    },
    target,
    docsPaths: paths('docs-paths', [...modelPaths, ...seedPaths, ...snapshotPaths, ...macroPaths, ...testPaths]),
    cleanTargets: paths('clean-targets', [targetSetting]),
    profileName,
    profilesFile: profile?.file ?? null,
    warnings,
  };
}

function defaultTarget(options: LoadProjectOptions): DuckDbTarget {
  const path = resolve(options.defaultTarget.path);
  return {
    name: 'dev',
    type: 'duckdb',
    path,
    database: basename(path, extname(path)),
    schema: options.defaultTarget.schema ?? 'main',
    threads: options.threads ?? 1,
  };
}

function stringList(yml: YamlFile, data: Record<string, unknown>, key: string, fallback: string[]): string[] {
  const value = data[key];
  if (value === undefined || value === null) return fallback;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
    throw yml.error([key], `${key} must be a list of folder names`, `e.g. ${key}: ["${fallback[0] ?? 'folder'}"]`);
  }
  return list.map((item: string) => item.replace(/\/+$/, ''));
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

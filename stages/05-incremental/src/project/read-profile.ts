import { existsSync } from 'node:fs';
import { basename, extname, isAbsolute, join, resolve } from 'node:path';
import type { DuckDbTarget } from './types.ts';
import { readYamlFile } from './yaml-file.ts';

/** Options for {@link readProfile}. */
export interface ReadProfileOptions {
  projectDir: string;
  /** `--profiles-dir`: looked in first. */
  profilesDir?: string | undefined;
  /** `profile:` of dbt_project.yml. */
  profileName: string | null;
  /** `--target`: the output to use instead of the profile's `target:`. */
  targetName?: string | undefined;
  env: NodeJS.ProcessEnv;
  /** Renders `{{ env_var('X') }}` in a value. */
  render: (text: string) => string;
}

/** The profile's output, or null when no profiles.yml is found (the caller uses its default target). */
export interface ReadProfileResult {
  target: Omit<DuckDbTarget, 'threads'> & { threads: number | null };
  file: string;
  warnings: string[];
}

/** Output keys of dbt-duckdb we accept; anything else gets one warning. */
const knownOutputKeys = new Set(['type', 'path', 'schema', 'threads', 'database']);

/**
 * profiles.yml, as dbt-duckdb reads it, from `--profiles-dir`, `DBT_PROFILES_DIR` or the
 * project folder (in that order; `~/.dbt/` is not read, so a learner's own dbt setup
 * never redirects the course's builds). `path:` is relative to the project folder, and
 * the database is the file's base name (`dev.duckdb` → `dev`).
 *
 * @example
 * readProfile({ projectDir, profileName: 'shop', env, render }) // → { target: { name: 'dev', path: '/p/dev.duckdb', … } }
 */
export function readProfile(options: ReadProfileOptions): ReadProfileResult | null {
  const dirs = [options.profilesDir, options.env.DBT_PROFILES_DIR, options.projectDir].filter(
    (dir): dir is string => typeof dir === 'string' && dir !== '',
  );
  const absolute = dirs.map((dir) => join(resolve(options.projectDir, dir), 'profiles.yml')).find(existsSync);
  if (!absolute) return null;
  const shown = absolute.startsWith(`${resolve(options.projectDir)}/`)
    ? absolute.slice(resolve(options.projectDir).length + 1)
    : absolute;
  const yml = readYamlFile(absolute, shown);
  const profiles = asRecord(yml.value);
  const names = Object.keys(profiles).filter((name) => name !== 'config');
  const profileName = options.profileName ?? (names.length === 1 ? names[0] : undefined);
  if (!profileName || !(profileName in profiles)) {
    throw yml.error(
      [],
      options.profileName
        ? `Could not find profile named '${options.profileName}'`
        : 'dbt_project.yml has no profile: and profiles.yml has several profiles',
      `Profiles in this file: ${names.join(', ') || 'none'}. Set profile: in dbt_project.yml to one of them.`,
    );
  }
  const profile = asRecord(profiles[profileName]);
  const outputs = asRecord(profile.outputs);
  const targetName = options.targetName ?? stringOr(profile.target, 'dev');
  const output = outputs[targetName];
  if (output === undefined) {
    throw yml.error(
      [profileName, 'outputs'],
      `The profile '${profileName}' does not have a target named '${targetName}'`,
      `Its targets: ${Object.keys(outputs).join(', ') || 'none'}.`,
    );
  }
  const at = [profileName, 'outputs', targetName];
  const values = Object.fromEntries(
    Object.entries(asRecord(output)).map(([key, value]) => [
      key,
      typeof value === 'string' ? options.render(value) : value,
    ]),
  );
  if (values.type !== 'duckdb') {
    throw yml.error(
      [...at, 'type'],
      `target '${targetName}' has type '${String(values.type)}': only duckdb is supported`,
      'Add an output with type: duckdb and path: <file>.duckdb, and choose it with target: or --target.',
    );
  }
  const warnings = Object.keys(values)
    .filter((key) => !knownOutputKeys.has(key))
    .map((key) => `${shown}: the output key '${key}' of target '${targetName}' is not supported and is ignored.`);
  const path = stringOr(values.path, ':memory:');
  const absolutePath = path === ':memory:' || isAbsolute(path) ? path : resolve(options.projectDir, path);
  const threads = values.threads === undefined ? null : Number(values.threads);
  if (threads !== null && (!Number.isInteger(threads) || threads < 1)) {
    throw yml.error([...at, 'threads'], `threads must be a positive whole number, got ${String(values.threads)}`);
  }
  return {
    target: {
      name: targetName,
      type: 'duckdb',
      path: absolutePath,
      database: path === ':memory:' ? 'memory' : basename(path, extname(path)),
      schema: stringOr(values.schema, 'main'),
      threads,
    },
    file: absolute,
    warnings,
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== ''
    ? value
    : value === undefined || value === null
      ? fallback
      : String(value);
}

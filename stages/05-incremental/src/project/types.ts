// A dbt project folder, read: dbt_project.yml and profiles.yml resolved into what the
// runner needs. Produced by load-project.ts.

/** The DuckDB target the project builds into (profiles.yml's output, or the stage's warehouse). */
export interface DuckDbTarget {
  /** The output's name in profiles.yml (`dev`), exposed as `target.name`. */
  name: string;
  type: 'duckdb';
  /** Absolute path of the DuckDB file. */
  path: string;
  /** The catalog name DuckDB gives the file: its base name without extension (`stage-05`). */
  database: string;
  /** Default schema, `main` unless the profile says otherwise; `target.schema`. */
  schema: string;
  /** How many nodes may run at once (`--threads` overrides). */
  threads: number;
}

/** A project folder, its settings resolved. */
export interface DbtProject {
  /** Absolute path of the folder holding dbt_project.yml. */
  root: string;
  /** `name:` in dbt_project.yml: the package name of every node. */
  name: string;
  /** Resource folders, relative to `root`, as dbt_project.yml lists them (defaults filled in). */
  modelPaths: string[];
  seedPaths: string[];
  macroPaths: string[];
  snapshotPaths: string[];
  testPaths: string[];
  /** Absolute path of the target folder (`--target-path` > dbt_project.yml `target-path` > `target`). */
  targetPath: string;
  /** `vars:` from dbt_project.yml merged with `--vars` (command line wins). */
  vars: Record<string, unknown>;
  /** The `models:` / `seeds:` / `snapshots:` / `data_tests:` config blocks of dbt_project.yml. */
  configBlocks: Record<'models' | 'seeds' | 'snapshots' | 'data_tests' | 'sources', Record<string, unknown>>;
  target: DuckDbTarget;
  /** Where `{% docs %}` blocks are looked for (dbt_project.yml `docs-paths`, default every resource folder). */
  docsPaths?: string[];
  /** `clean-targets` (what `clean` removes), relative to `root`; default `[target-path]`. */
  cleanTargets?: string[];
  /** `profile:` in dbt_project.yml, or null. */
  profileName?: string | null;
  /** The profiles.yml that was read (absolute), or null when the stage's default target is used. */
  profilesFile?: string | null;
  /** Keys we read but do not act on (`on-run-start`, `packages.yml`…), one message each. */
  warnings?: string[];
}

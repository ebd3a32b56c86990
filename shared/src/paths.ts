import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The monorepo root this code lives in: the nearest folder above this file holding
 * pnpm-workspace.yaml. A fact about the checkout, not a setting; the settings (another
 * root, another data folder) come in through {@link MartPaths}.
 *
 * @example
 * join(repoRoot(), 'exercises') // → /home/me/mini-data-mart/exercises
 */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the repository root (pnpm-workspace.yaml).');
    dir = parent;
  }
  return dir;
}

/** Options for {@link MartPaths}. */
export interface MartPathsOptions {
  /** The course folder (exercises/, solutions/, data/seeds/); default the checkout. */
  root?: string;
  /** Where pipelines write; default `<root>/data`. */
  data?: string;
  /** The folder the command was typed in, for showing paths; default process.cwd(). */
  cwd?: string;
}

/**
 * Where everything is: the course folder, the data folder pipelines write to, and the
 * folder the learner typed the command in. Built once when a command starts (from
 * `MART_REPO_ROOT` / `MART_DATA_DIR`, see {@link martPathsFromEnv}) and handed down in
 * the command context, so no code deep inside a stage reads the environment, and a test
 * runs a pipeline in a temporary folder just by passing other paths.
 *
 * @example
 * const paths = new MartPaths({ data: '/tmp/run' });
 * paths.warehouse(1) // → /tmp/run/warehouse/stage-01.duckdb
 */
export class MartPaths {
  /** The course folder. */
  readonly root: string;
  /** The data folder: warehouse/, exports/, lake/, quality/… */
  readonly data: string;
  /** The learner's current folder. */
  readonly cwd: string;

  constructor(options: MartPathsOptions = {}) {
    this.root = resolve(options.root ?? repoRoot());
    this.cwd = resolve(options.cwd ?? process.cwd());
    this.data = options.data ? resolve(this.cwd, options.data) : join(this.root, 'data');
  }

  /** The same course with another data folder (tests, benchmarks). */
  withData(data: string): MartPaths {
    return new MartPaths({ root: this.root, data, cwd: this.cwd });
  }

  /** The DuckDB file a stage builds: `data/warehouse/stage-NN.duckdb`. */
  warehouse(stage: number): string {
    return join(this.data, 'warehouse', `stage-${twoDigits(stage)}.duckdb`);
  }

  /** `data/<kind>/stage-NN/`: one kind of a stage's output (exports, rejects, generated…). */
  output(kind: 'exports' | 'rejects' | 'generated', stage: number): string {
    return join(this.data, kind, `stage-${twoDigits(stage)}`);
  }

  /** The lakehouse's local folder (stage 4): `data/lake/` (the embedded S3 server's buckets in `s3/`). */
  lake(): string {
    return join(this.data, 'lake');
  }

  /** The committed seed files of a stage, always under the course: `data/seeds/stage-NN/`. */
  seeds(stage: number): string {
    return join(this.root, 'data', 'seeds', `stage-${twoDigits(stage)}`);
  }

  /** A path given on the command line, relative to where the learner typed it. */
  resolve(path: string): string {
    return resolve(this.cwd, path);
  }

  /**
   * A path as a person at the terminal wants to read it: relative to their folder when
   * it is inside it, absolute otherwise (`../../tmp/x` is harder to read than `/tmp/x`).
   */
  shown(path: string): string {
    const inside = relative(this.cwd, path);
    return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside;
  }
}

/**
 * The paths of a command started from a terminal: `MART_REPO_ROOT` (tests run `reset` on
 * a copy of the course) and `MART_DATA_DIR` (tests and benchmarks write elsewhere) when
 * set. Called once, at the process entry.
 *
 * @example
 * martPathsFromEnv(process.env).data // → /home/me/mini-data-mart/data
 */
export function martPathsFromEnv(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): MartPaths {
  return new MartPaths({
    ...(env.MART_REPO_ROOT ? { root: env.MART_REPO_ROOT } : {}),
    ...(env.MART_DATA_DIR ? { data: env.MART_DATA_DIR } : {}),
    cwd,
  });
}

/**
 * `1` → `"01"`: stage folders and files sort in curriculum order.
 *
 * @example
 * twoDigits(3) // → "03"
 */
export function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}

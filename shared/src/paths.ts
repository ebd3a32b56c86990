import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The monorepo root: the nearest folder above this file holding pnpm-workspace.yaml.
 * `MART_REPO_ROOT` overrides it, so tests can run `reset` or `diff` on a copy of the
 * course instead of a learner's real files.
 *
 * @example
 * join(repoRoot(), 'exercises') // → /home/me/mini-data-mart/exercises
 */
export function repoRoot(): string {
  if (process.env.MART_REPO_ROOT) return resolve(process.env.MART_REPO_ROOT);
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the repository root (pnpm-workspace.yaml).');
    dir = parent;
  }
  return dir;
}

/**
 * Where pipelines write: `MART_DATA_DIR` when set (tests use a temporary folder, so they
 * never touch a learner's warehouses), else `<repo>/data`.
 *
 * @example
 * dataDir() // → /home/me/mini-data-mart/data
 */
export function dataDir(): string {
  const fromEnv = process.env.MART_DATA_DIR;
  return fromEnv ? resolve(fromEnv) : join(repoRoot(), 'data');
}

/**
 * The lakehouse's local folder (stage 4): `data/lake/`. The embedded S3 server keeps
 * its buckets under `data/lake/s3/`.
 *
 * @example
 * lakeDir() // → /home/me/mini-data-mart/data/lake
 */
export function lakeDir(): string {
  return join(dataDir(), 'lake');
}

/**
 * The DuckDB file a stage builds: `data/warehouse/stage-NN.duckdb`.
 *
 * @example
 * warehousePath(1) // → …/data/warehouse/stage-01.duckdb
 */
export function warehousePath(stage: number): string {
  return join(dataDir(), 'warehouse', `stage-${twoDigits(stage)}.duckdb`);
}

/**
 * Where a stage's `export` command writes: `data/exports/stage-NN/`.
 *
 * @example
 * exportsDir(1) // → …/data/exports/stage-01
 */
export function exportsDir(stage: number): string {
  return stageOutputDir('exports', stage);
}

/**
 * `data/<kind>/stage-NN/` under the data folder: one kind of a stage's output.
 *
 * @example
 * stageOutputDir('rejects', 2) // → …/data/rejects/stage-02
 */
export function stageOutputDir(kind: 'exports' | 'rejects' | 'generated', stage: number): string {
  return join(dataDir(), kind, `stage-${twoDigits(stage)}`);
}

/**
 * The committed seed files of a stage: `data/seeds/stage-NN/` in the repository. Always
 * under the repository, even when MART_DATA_DIR moves the outputs elsewhere.
 *
 * @example
 * seedsDir(2) // → …/data/seeds/stage-02
 */
export function seedsDir(stage: number): string {
  return join(repoRoot(), 'data', 'seeds', `stage-${twoDigits(stage)}`);
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

/**
 * A path as a person at the terminal wants to read it: relative to the current folder.
 *
 * @example
 * shownPath('/home/me/mini-data-mart/data/warehouse/stage-01.duckdb') // → 'data/warehouse/stage-01.duckdb'
 */
export function shownPath(path: string): string {
  return relative(process.cwd(), path) || path;
}

// Shared by the cli-*, own-project-* tests: what the real CLI left behind, read back
// from the files (run_results.json, manifest.json, DuckDB warehouses), and projects
// written into temporary folders.
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Database, MartPaths, MineScope, quoteIdentifier, quoteLiteral, type Row } from '@mart/shared';
import type { CliRun } from '@mart/shared/testing';
import { expect } from 'vitest';
import { mountLake } from '../../src/lake/mount-lake.ts';

/** One entry of run_results.json, as the runner writes it (dbt's v6 field names). */
export interface RunResultEntry {
  unique_id: string;
  status: string;
  message: string | null;
  failures: number | null;
  thread_id: string;
  execution_time: number;
  adapter_response: { rows_affected?: number; _message?: string; code?: string };
  batch_results: { successful: Array<[string, string]>; failed: Array<[string, string]> } | null;
  relation_name: string | null;
  compiled_code?: string | null;
}

/** run_results.json. */
export interface RunResults {
  metadata: { dbt_schema_version: string; invocation_id: string };
  results: RunResultEntry[];
  elapsed_time: number;
  args: Record<string, unknown>;
}

export function readRunResults(targetPath: string): RunResults {
  return JSON.parse(readFileSync(join(targetPath, 'run_results.json'), 'utf8')) as RunResults;
}

/** The results by node name (the last part of the unique_id; tests have their own names). */
export function resultsByName(results: RunResults): Map<string, RunResultEntry> {
  return new Map(results.results.map((result) => [result.unique_id.split('.').slice(2).join('.'), result]));
}

/** manifest.json, the parts the tests read. */
export interface ManifestJson {
  metadata: { dbt_schema_version: string; project_name: string };
  nodes: Record<
    string,
    {
      unique_id: string;
      resource_type: string;
      name: string;
      fqn: string[];
      schema: string;
      database: string;
      alias: string;
      original_file_path: string;
      config: Record<string, unknown>;
      depends_on: { nodes: string[]; macros: string[] };
      tags: string[];
      compiled_code?: string;
      checksum: { name: string; checksum: string };
      test_metadata?: { name: string; kwargs: Record<string, unknown> } | null;
    }
  >;
  sources: Record<string, { unique_id: string; name: string; source_name: string; relation_name: string }>;
  macros: Record<string, { unique_id: string; name: string }>;
  parent_map: Record<string, string[]>;
  child_map: Record<string, string[]>;
}

export function readManifest(targetPath: string): ManifestJson {
  return JSON.parse(readFileSync(join(targetPath, 'manifest.json'), 'utf8')) as ManifestJson;
}

/** Asserts a CLI run exited with `status`, showing its whole output when it did not. */
export function expectExit(run: CliRun, status: number): void {
  expect(run.status, `exit code; stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(status);
}

/** A stack trace in output: never for a user's mistake. */
export const stackTrace = /\n\s+at .+:\d+:\d+/;

/** Rows of a query against a warehouse file, opened read-only (and closed again). */
export async function queryWarehouse<T = Row>(path: string, sql: string): Promise<T[]> {
  const db = await Database.open(path, { readOnly: true });
  try {
    return await db.all<T>(sql);
  } finally {
    db.close();
  }
}

/**
 * A copy of a closed DuckDB file (and its WAL, if one was left). Give it the same file
 * name (in another folder): a view's SQL names its database, which is the file's name.
 */
export function copyWarehouse(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  if (existsSync(`${from}.wal`)) copyFileSync(`${from}.wal`, `${to}.wal`);
}

/**
 * Compares every relation of the `main` schema of two warehouse files (closed ones:
 * copies, or after the CLI exited). Tables are compared with `except all` both ways
 * (the same rows, the same multiplicities); views, whose SQL names the warehouse's own
 * database, are read in each file and their ordered rows compared. For the tables named
 * in `currentVersionsOnly` (snapshots), only the rows with `dbt_valid_to is null`.
 * Returns, per relation, `same` or what differs.
 *
 * @example
 * await compareWarehouses(copy, warehouse) // → { fct_sales: 'same', daily_revenue: '3 rows only in the first, …' }
 */
export async function compareWarehouses(
  first: string,
  second: string,
  options: { currentVersionsOnly?: readonly string[] } = {},
): Promise<Record<string, string>> {
  const relationsOf = (path: string) =>
    queryWarehouse<{ name: string; type: string }>(
      path,
      `select table_name as name, table_type as type from information_schema.tables
        where table_schema = 'main' order by 1`,
    );
  const [ours, theirs] = [await relationsOf(first), await relationsOf(second)];
  const out: Record<string, string> = {};
  for (const { name } of theirs.filter((r) => !ours.some((o) => o.name === r.name))) out[name] = 'only in the second';
  const db = await Database.open(':memory:');
  try {
    await db.run(`attach ${quoteLiteral(first)} as first_wh (read_only)`);
    await db.run(`attach ${quoteLiteral(second)} as second_wh (read_only)`);
    for (const { name, type } of ours) {
      const other = theirs.find((r) => r.name === name);
      if (!other) {
        out[name] = 'only in the first';
      } else if (other.type !== type) {
        out[name] = `a ${type} in the first, a ${other.type} in the second`;
      } else if (type === 'VIEW') {
        const read = (path: string) => queryWarehouse(path, `select * from main.${quoteIdentifier(name)} order by all`);
        const [a, b] = [await read(first), await read(second)];
        out[name] = JSON.stringify(a) === JSON.stringify(b) ? 'same' : `view rows differ: ${a.length} vs ${b.length}`;
      } else {
        const where = options.currentVersionsOnly?.includes(name) ? ' where dbt_valid_to is null' : '';
        const from = (database: string) => `select * from ${database}.main.${quoteIdentifier(name)}${where}`;
        const count = (sql: string) => db.value<number>(`select count(*)::int from (${sql})`);
        const onlyFirst = await count(`${from('first_wh')} except all ${from('second_wh')}`);
        const onlySecond = await count(`${from('second_wh')} except all ${from('first_wh')}`);
        out[name] =
          onlyFirst === 0 && onlySecond === 0
            ? 'same'
            : `${onlyFirst} rows only in the first, ${onlySecond} only in the second`;
      }
    }
    return out;
  } finally {
    db.close();
  }
}

/** `{ name: 'same' }` for each name: what {@link compareWarehouses} gives for identical warehouses. */
export function allSame(names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, 'same']));
}

/**
 * Runs `work` on an in-memory session where the stage 4 lake is mounted as `lake` (as
 * the CLI mounts it, through the embedded S3 server on the data folder) and, when given,
 * a warehouse file attached read-only as `wh`.
 */
export async function withLake<T>(
  dataDir: string,
  warehouse: string | undefined,
  work: (db: Database) => Promise<T>,
): Promise<T> {
  const db = await Database.open(':memory:');
  try {
    await mountLake(db, {
      mine: MineScope.none(),
      paths: new MartPaths().withData(dataDir),
      env: { ...process.env, MART_S3_ENDPOINT: '' },
    });
    if (warehouse) await db.run(`attach ${quoteLiteral(warehouse)} as wh (read_only)`);
    return await work(db);
  } finally {
    db.close();
  }
}

/** Writes `files` (path → text) under `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** Copies a folder (a fixture project) to `to`. */
export function copyFolder(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
}

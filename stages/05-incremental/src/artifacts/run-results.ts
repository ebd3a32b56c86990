import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ManifestNode } from '../manifest/types.ts';
import type { DbtProject } from '../project/types.ts';
import type { ExecutedStatement, NodeResult } from '../run/types.ts';

/** `metadata.dbt_schema_version` of the run_results.json we write. */
export const runResultsSchemaVersion = 'https://schemas.getdbt.com/dbt/run-results/v6.json';

/** The dbt version our artifacts say they follow (the semantics of notes/dbt.md: dbt-core 1.8–1.10). */
export const compatibleDbtVersion = '1.10.0';

/** Options for {@link writeRunResults}. */
export interface WriteRunResultsOptions {
  project: DbtProject;
  /** What executeNodes returned. */
  results: readonly NodeResult[];
  /** Seconds the whole command took (dbt's `elapsed_time`). */
  elapsedTime: number;
  /** The invocation's flags as dbt writes them under `args`, e.g. `{ which: 'run', select: ['orders'], full_refresh: false }`. */
  args: Record<string, unknown>;
  /** Shared with manifest.json when the command writes both; a new uuid otherwise. */
  invocationId?: string;
  /** `generated_at`; now by default. */
  generatedAt?: Date;
}

/** What {@link writeRunResults} wrote. */
export interface WrittenRunResults {
  /** `<target>/run_results.json`. */
  path: string;
  /** `<target>/run/<project>/…`, one file per node that ran SQL. */
  runFiles: string[];
}

/**
 * Writes `<target>/run_results.json` in dbt's run-results v6 layout (§1.7: metadata,
 * results with every required key, elapsed_time, args), and each node's executed SQL to
 * `<target>/run/<project>/<path>` as dbt does, so tools that read dbt's artifacts (and
 * stage 6) read ours.
 *
 * @example
 * const written = writeRunResults({ project, results, elapsedTime: 1.2, args: { which: 'run' } });
 */
export function writeRunResults(options: WriteRunResultsOptions): WrittenRunResults {
  const { project } = options;
  const runFiles: string[] = [];
  for (const result of options.results) {
    if (result.executedSql.length === 0) continue;
    const file = runSqlPath(project, result.node);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${result.executedSql.map(runFileStatement).join(';\n\n')};\n`);
    runFiles.push(file);
  }
  const document = runResultsDocument(options);
  const path = join(project.targetPath, 'run_results.json');
  mkdirSync(project.targetPath, { recursive: true });
  // Written beside and renamed: a reader (stage 6) never sees half a file.
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(document, null, 2)}\n`);
  renameSync(partial, path);
  return { path, runFiles };
}

/**
 * The run_results.json document, snake_case as dbt writes it. (Its `metadata` allows no
 * other keys than these in the v6 schema, so `invocation_started_at` is not written.)
 */
export function runResultsDocument(options: Omit<WriteRunResultsOptions, 'project'>): Record<string, unknown> {
  const generatedAt = options.generatedAt ?? new Date();
  return {
    metadata: {
      dbt_schema_version: runResultsSchemaVersion,
      dbt_version: compatibleDbtVersion,
      generated_at: generatedAt.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z'),
      invocation_id: options.invocationId ?? randomUUID(),
      env: {},
    },
    results: options.results.map(resultEntry),
    elapsed_time: options.elapsedTime,
    args: options.args,
  };
}

/** One `results[]` entry: every key run-results v6 requires, plus batch_results. */
export function resultEntry(result: NodeResult): Record<string, unknown> {
  return {
    status: result.status,
    timing: result.timing.map((t) => ({ name: t.name, started_at: t.startedAt, completed_at: t.completedAt })),
    thread_id: result.threadId,
    execution_time: result.executionTime,
    adapter_response: result.adapterResponse,
    message: result.message,
    // The schema types failures as an integer (a fail_calc like avg() can give a fraction).
    failures: result.failures === null ? null : Math.round(result.failures),
    unique_id: result.uniqueId,
    compiled: result.compiled,
    compiled_code: result.compiledCode,
    relation_name: result.relationName,
    batch_results: result.batchResults,
  };
}

/**
 * Where dbt writes a node's executed SQL: `<target>/run/<package>/<original_file_path>`,
 * or `<…>/<original_file_path>/<path>` for nodes that share a file (generic tests in a
 * yml, yml snapshots).
 *
 * @example
 * runSqlPath(project, node) // → /…/target/run/mart/models/staging/stg_sales.sql
 */
export function runSqlPath(project: DbtProject, node: ManifestNode): string {
  const base = join(project.targetPath, 'run', node.packageName, node.originalFilePath);
  return basename(node.path) === basename(node.originalFilePath) ? base : join(base, node.path);
}

/**
 * One statement as `target/run/…` shows it: the values bound to its placeholders as a
 * comment, then its SQL, so a reader sees what `$1` was (dbt splices values into its
 * run files; we bind them, so the file says them).
 *
 * @example
 * runFileStatement({ sql: 'delete from t where d >= $1', params: ['2024-03-01'] })
 * // → "-- $1 = '2024-03-01'\ndelete from t where d >= $1"
 */
export function runFileStatement(statement: ExecutedStatement): string {
  const sql = statement.sql.trim();
  const params = statement.params;
  if (params === undefined) return sql;
  const entries = Array.isArray(params)
    ? params.map((value, i) => [`$${i + 1}`, value] as const)
    : Object.entries(params).map(([name, value]) => [`$${name}`, value] as const);
  if (entries.length === 0) return sql;
  const shown = entries.map(([name, value]) => `${name} = ${shownValue(value)}`).join(', ');
  // Above the statement, so the `;` after it is not commented out; a value holding a
  // line break would end the comment early, so it is shown escaped.
  return `-- ${shown.replace(/\r?\n|\r/g, '\\n')}\n${sql}`;
}

function shownValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  return String(value);
}

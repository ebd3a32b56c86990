import { isAbsolute, relative } from 'node:path';
import { CliError, ExerciseError, SqlError } from '@mart/shared';
import { runSqlPath } from '../artifacts/run-results.ts';
import type { ManifestNode } from '../manifest/types.ts';
import type { DbtProject } from '../project/types.ts';

/** dbt's three kinds of node failure, the first word of its message. */
export type NodeErrorKind = 'Database' | 'Compilation' | 'Runtime';

/**
 * A node failed for a reason the runner names itself: a config dbt would reject
 * (Compilation), a check dbt does not make (Runtime: NULL or duplicate unique_key…).
 * Becomes the node's `error` result; never escapes the run.
 *
 * @example
 * throw new NodeError('Compilation', "Invalid incremental strategy provided: upsert");
 */
export class NodeError extends Error {
  readonly kind: NodeErrorKind;
  /** One line telling the user what to do next, printed after the message. */
  readonly hint: string | undefined;

  constructor(kind: NodeErrorKind, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'NodeError';
    this.kind = kind;
    this.hint = options.hint;
  }
}

/**
 * A statement written by one of the exercise pieces (mergeSql, deleteInsertSql,
 * snapshotCheckSql) failed in DuckDB. The message shows the statement, so a learner
 * running `--mine` sees which SQL of theirs broke.
 */
export class PieceSqlError extends Error {
  readonly piece: string;
  readonly sql: string;

  constructor(piece: string, sql: string, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'PieceSqlError';
    this.piece = piece;
    this.sql = sql;
  }
}

/**
 * dbt's text for a failed node: `Database Error in model x (models/x.sql)` then each line
 * of the cause indented by two spaces; database errors end with where the executed SQL
 * was written (`compiled code at target/run/…`), as dbt's do.
 *
 * @example
 * describeNodeFailure(node, sqlError, project)
 * // → 'Database Error in model orders (models/orders.sql)\n  Catalog Error: Table with name x does not exist!\n  compiled code at target/run/p/models/orders.sql'
 */
export function describeNodeFailure(
  node: ManifestNode,
  error: unknown,
  project: DbtProject,
  options: { mine?: boolean } = {},
): string {
  const kind = errorKind(error);
  const lines = errorText(error).split('\n');
  if (error instanceof PieceSqlError) {
    // Under --mine the SQL is the learner's: say so, with the exercise file to fix.
    const writer = options.mine
      ? `your exercise ${pieceExercise(error.piece)} (exercises/${pieceExercise(error.piece)}.ts); fix it and check it with \`pnpm grade 5\``
      : `the ${error.piece} piece`;
    lines.push(`in the SQL written by ${writer}:`, ...error.sql.split('\n').map((line) => `  ${line}`));
  }
  if (kind === 'Database') {
    // Relative to the project when it is inside it (dbt's `target/run/…`); a target path
    // elsewhere (the stage's data/target/stage-05) is shown whole, not as ../../../…
    const absolute = runSqlPath(project, node);
    const inside = relative(project.root, absolute);
    const path = inside.startsWith('..') || isAbsolute(inside) ? absolute : inside;
    lines.push(`compiled code at ${path.replaceAll('\\', '/')}`);
  }
  const body = lines
    .map((line) => line.trimEnd())
    .filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== ''))
    .map((line) => (line === '' ? '' : `  ${line}`));
  while (body.at(-1) === '') body.pop();
  return [`${kind} Error in ${node.resourceType} ${node.name} (${node.originalFilePath})`, ...body].join('\n');
}

function errorKind(error: unknown): NodeErrorKind {
  if (error instanceof NodeError) return error.kind;
  if (error instanceof SqlError || error instanceof PieceSqlError) return 'Database';
  return 'Runtime';
}

function errorText(error: unknown): string {
  const message =
    error instanceof ExerciseError ? error.describe() : error instanceof Error ? error.message : String(error);
  const hint = error instanceof CliError || error instanceof NodeError ? error.hint : undefined;
  return hint ? `${message}\n${hint}` : message;
}

/** `mergeSql` → `05-incremental/merge-sql`: the exercise a piece's function comes from. */
function pieceExercise(piece: string): string {
  return `05-incremental/${piece.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

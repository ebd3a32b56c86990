import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SqlError } from '../duckdb/sql-error.ts';
import { CliError, ExerciseError } from '../errors.ts';
import type { MartPaths } from '../paths.ts';
import { describeLoadFailure } from './load-failure.ts';
import type { MineScope } from './mine-scope.ts';

/** Options for {@link loadPieces}. */
export interface LoadPiecesOptions {
  /** The stage whose pieces these are, e.g. 3. */
  stage: number;
  /** Its folder under exercises/ and solutions/, e.g. `03-quality`. */
  dir: string;
  /** Whose pieces to run (`--mine`). */
  mine: MineScope;
  /** Where the course is. */
  paths: MartPaths;
}

/**
 * A stage's teachable pieces: `solutions/<dir>/index.ts` (the reference), or the
 * learner's `exercises/<dir>/index.ts` when `mine` covers the stage. Both trees export
 * the same functions, so the pipeline cannot tell them apart: that is the point.
 *
 * The learner's functions come wrapped: anything they throw (a TypeError, a DuckDB
 * error from their SQL) becomes an {@link ExerciseError} naming the exercise, the line
 * in their file and the SQL, so their bug is never reported as ours. Errors they throw
 * on purpose (CliError, e.g. an InputFileError from check-header) pass through as is.
 *
 * @example
 * const pieces = await loadPieces<QualityPieces>({ stage: 3, dir: '03-quality', mine, paths });
 */
export async function loadPieces<T extends object>(options: LoadPiecesOptions): Promise<T> {
  const { dir, paths } = options;
  const reference = (await import(pathToFileURL(join(paths.root, 'solutions', dir, 'index.ts')).href)) as T;
  if (!options.mine.covers(options.stage, dir)) return reference;

  const index = join(paths.root, 'exercises', dir, 'index.ts');
  let learner: Record<string, unknown>;
  try {
    learner = (await import(pathToFileURL(index).href)) as Record<string, unknown>;
  } catch (error) {
    const { message, hint } = describeLoadFailure(error, paths, options.stage);
    throw new CliError(`Your exercises in exercises/${dir}/ could not be loaded: ${message}`, { hint, cause: error });
  }

  const files = exportFiles(index);
  const pieces: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(reference)) {
    const mine = learner[name];
    if (typeof value === 'function' && typeof mine !== 'function') {
      throw new CliError(`exercises/${dir}/index.ts does not export the function ${name}.`, {
        hint: `Restore the export (see solutions/${dir}/index.ts for the list), or run without --mine.`,
      });
    }
    const key = `${dir}/${files.get(name) ?? name}`;
    pieces[name] = typeof mine === 'function' ? guard(mine as (...args: unknown[]) => unknown, key, paths) : mine;
  }
  return pieces as T;
}

/** Which file each name of an index.ts comes from: `export { a, b } from './x.ts'` → a → x. */
function exportFiles(index: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(index)) return files;
  for (const match of readFileSync(index, 'utf8').matchAll(/export\s*\{([^}]*)\}\s*from\s*'\.\/([^']+)\.ts'/g)) {
    for (const name of (match[1] ?? '').split(',')) {
      const clean = name.trim().replace(/^type\s+/, '');
      if (clean) files.set(clean, match[2] ?? clean);
    }
  }
  return files;
}

/** The learner's function, with whatever it throws (or rejects with) attributed to the exercise. */
function guard(piece: (...args: unknown[]) => unknown, key: string, paths: MartPaths) {
  const attribute = (error: unknown): unknown => {
    if (error instanceof CliError) return error;
    return new ExerciseError(key, error, {
      location: learnerFrame(error, paths),
      ...(error instanceof SqlError ? { sql: error.sql } : {}),
    });
  };
  return function guarded(this: unknown, ...args: unknown[]): unknown {
    try {
      const result = piece.apply(this, args);
      if (result instanceof Promise) {
        return result.catch((error: unknown) => {
          throw attribute(error);
        });
      }
      return result;
    } catch (error) {
      throw attribute(error);
    }
  };
}

/**
 * The first stack frame inside exercises/, as `exercises/<dir>/<file>.ts:line:column`.
 *
 * @example
 * learnerFrame(error, paths) // → 'exercises/01-star-schema/revenue-by-month.ts:17:10'
 */
export function learnerFrame(error: unknown, paths: MartPaths): string | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const exercises = join(paths.root, 'exercises');
  for (const line of stack.split('\n')) {
    const match = /(?:file:\/\/)?(\/[^\s()]+?|[A-Za-z]:[\\/][^\s()]+?):(\d+):(\d+)\)?$/.exec(line.trim());
    const file = match?.[1] ? decodeURIComponent(match[1]) : undefined;
    if (!file?.startsWith(exercises)) continue;
    return `${relative(paths.root, file).replaceAll('\\', '/')}:${match?.[2]}:${match?.[3]}`;
  }
  return undefined;
}

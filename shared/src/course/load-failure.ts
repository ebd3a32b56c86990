import { fileURLToPath } from 'node:url';
import type { MartPaths } from '../paths.ts';

/** How `pnpm grade` starts the reason of a file Node refuses to run (see strip-only-plugin.ts). */
export const needsCompilingPrefix = 'Node cannot run this TypeScript:';

/** What to write instead of TypeScript that Node refuses to run: said by the stages and by `pnpm grade`. */
export const stripOnlyAdvice =
  'Node runs your TypeScript by erasing the types, so it refuses TypeScript that would need compiling: write a union of strings instead of an enum, an object instead of a namespace, and assign constructor parameters to fields yourself';

/** Why a learner's exercise files could not be imported, and what to do about it. */
export interface LoadFailure {
  /** Where and what, e.g. `exercises/01-star-schema/surrogate-keys.ts:12: Expression expected`. */
  message: string;
  hint: string;
}

/**
 * Explains an import of a learner's exercise tree that failed before any of it ran: a
 * typo Node could not parse, TypeScript that Node does not run, a missing file.
 *
 * Node runs the exercises by erasing their types (22.18+ itself, older Nodes through
 * strip-types-hooks.mjs; see typescript-loader.mjs). Parse errors say only what ("Expression
 * expected"); where is the first line of the stack, `file:///…/file.ts:12` or `/…/file.ts:12`,
 * which this puts in front. Paths are shown from the course folder, as the learner sees them.
 *
 * @example
 * describeLoadFailure(error, paths).message // → 'exercises/01-star-schema/surrogate-keys.ts:12: Expression expected'
 */
export function describeLoadFailure(error: unknown, paths: MartPaths, stage: number): LoadFailure {
  const fromRoot = (text: string) => text.replaceAll(`${paths.root}/`, '');
  const grade = `then check it with \`pnpm grade ${stage}\``;
  if (!(error instanceof Error)) return { message: String(error), hint: `Fix the file it names, ${grade}.` };
  const at = error instanceof SyntaxError ? /^(file:\/\/\S+|\/\S+):(\d+)\n/.exec(error.stack ?? '') : null;
  const where = at?.[1] ? `${at[1].startsWith('file:') ? fileURLToPath(at[1]) : at[1]}:${at[2]}` : undefined;
  const message = fromRoot(where && !error.message.includes(where) ? `${where}: ${error.message}` : error.message);
  if ((error as NodeJS.ErrnoException).code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX') {
    return {
      message,
      hint: `${stripOnlyAdvice}; ${grade}.`,
    };
  }
  return { message, hint: `Fix the file it names (a typo, a missing import?), ${grade}.` };
}

import { countOf, InputFileError } from '@mart/shared';

/** Exit code for a checks file that cannot be used: the checks could not run (3). */
export const checkErrorExitCode = 3;

/** How many problems one error lists; the rest are counted. */
export const maxListedProblems = 10;

/** A problem with its place in the file. */
export interface PlacedProblem {
  message: string;
  line?: number | undefined;
  column?: number | undefined;
}

/**
 * One InputFileError for every problem of a checks file, so one run shows them all
 * (fixing a file one error per run is slow). Each problem gets its own line, as a
 * compiler prints them: `checks.yml line 4, column 7: …`. The error's line and column
 * are the first problem's; after {@link maxListedProblems} the rest are only counted.
 *
 * @example
 * throw checksFileError('checks.yml', [{ message: 'unknown key "colum"', line: 4, column: 7 }]);
 */
export function checksFileError(file: string, problems: readonly PlacedProblem[], hint?: string): InputFileError {
  const [first, ...rest] = problems;
  const listed = rest
    .slice(0, maxListedProblems - 1)
    .map((problem) => `\n${file}${where(problem)}: ${problem.message}`);
  const unlisted = rest.length - listed.length;
  const more = unlisted > 0 ? `\n… and ${countOf(unlisted, 'more problem')}` : '';
  return new InputFileError(file, `${first?.message ?? 'unusable checks file'}${listed.join('')}${more}`, {
    ...(first?.line !== undefined ? { line: first.line } : {}),
    ...(first?.column !== undefined ? { column: first.column } : {}),
    ...(hint !== undefined ? { hint } : {}),
    exitCode: checkErrorExitCode,
  });
}

/** ` line 4, column 7`, as InputFileError writes it. */
function where(problem: PlacedProblem): string {
  const parts = [problem.line && `line ${problem.line}`, problem.column && `column ${problem.column}`].filter(Boolean);
  return parts.length > 0 ? ` ${parts.join(', ')}` : '';
}

/**
 * Errors a user can cause and fix. The CLI prints their message (and hint) without a
 * stack trace and exits with `exitCode`. Anything else is a bug and gets the full trace.
 *
 * @example
 * throw new CliError('data/seeds/customers.csv is empty', { hint: 'Run `pnpm stage 2 generate`.' });
 */
export class CliError extends Error {
  /** Process exit code: 1 for a failed run, 2 for a usage mistake. */
  readonly exitCode: number;
  /** One line telling the user what to do next. */
  readonly hint: string | undefined;

  constructor(message: string, options: { exitCode?: number; hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? 1;
    this.hint = options.hint;
  }
}

/**
 * The command line itself is wrong: unknown stage, command or option, or a bad value.
 * Exit code 2, like most Unix tools.
 *
 * @example
 * throw new UsageError('Unknown stage "9".', { hint: 'Valid stages: 1 star-schema' });
 */
export class UsageError extends CliError {
  constructor(message: string, options: { hint?: string } = {}) {
    super(message, { exitCode: 2, ...options });
    this.name = 'UsageError';
  }
}

/**
 * Thrown by every untouched exercise. The grader and `--mine` runs turn it into
 * "not implemented yet" plus the exercise's hint instead of a crash dump.
 *
 * @example
 * export function buildDateDimension(): DateRow[] {
 *   throw new NotImplementedError('01-star-schema/date-dimension');
 * }
 */
export class NotImplementedError extends CliError {
  /** `<stage-dir>/<exercise>`, the key of the exercise in exercises/info.yaml. */
  readonly exercise: string;

  constructor(exercise: string) {
    super(`Exercise ${exercise} is not implemented yet.`, {
      hint: `Open exercises/${exercise}.ts, or run \`pnpm hint ${exercise.replace('/', ' ')}\`.`,
    });
    this.name = 'NotImplementedError';
    this.exercise = exercise;
  }
}

/**
 * An input file cannot be used at all: missing, empty, not UTF-8, a broken header… The
 * message names the file and, when known, the line and column, like a compiler error.
 *
 * @example
 * throw new InputFileError('sales.csv', 'duplicate column "quantity"', { line: 1, column: 7 });
 * // → sales.csv line 1, column 7: duplicate column "quantity"
 */
export class InputFileError extends CliError {
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    file: string,
    problem: string,
    options: { line?: number; column?: number; hint?: string; exitCode?: number } = {},
  ) {
    const where = [options.line && `line ${options.line}`, options.column && `column ${options.column}`].filter(
      Boolean,
    );
    super(`${file}${where.length > 0 ? ` ${where.join(', ')}` : ''}: ${problem}`, {
      hint: options.hint,
      exitCode: options.exitCode,
    });
    this.name = 'InputFileError';
    this.file = file;
    this.line = options.line;
    this.column = options.column;
  }
}

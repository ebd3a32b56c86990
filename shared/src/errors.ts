import { dedent } from './render/dedent.ts';

/**
 * Errors a user can cause and fix. The CLI prints their message (and hint) without a
 * stack trace and exits with `exitCode`. Anything else is a bug and gets the full trace.
 *
 * @example
 * throw new CliError('data/seeds/customers.csv is empty', { hint: 'Run `pnpm stage 2 generate`.' });
 */
const cliErrorBrand = Symbol.for('mini-data-mart.cli-error');

export class CliError extends Error {
  /**
   * `instanceof` for CliError and its subclasses that also holds for an error made by a
   * second copy of this module (a learner's folder outside the workspace can load its
   * own copy, and the plain prototype check would then fail).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // `this` is the class on the right of `instanceof`: CliError or a subclass of it.
    // biome-ignore lint/complexity/noThisInStatic: the subclass asked about, not CliError itself
    // biome-ignore lint/complexity/noUselessThisAlias: named for what it is
    const asked: { name: string } = this;
    const branded =
      typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[cliErrorBrand] === true;
    if (!branded || asked.name === 'CliError') return branded;
    // A subclass (NotImplementedError…): match by class name along the prototype chain.
    for (let proto = Object.getPrototypeOf(value); proto; proto = Object.getPrototypeOf(proto)) {
      if ((proto as { constructor?: { name?: string } }).constructor?.name === asked.name) return true;
    }
    return false;
  }

  readonly [cliErrorBrand] = true;
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
 * "not implemented yet" and the command that shows its hint, instead of a crash dump.
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
    const [dir = '', name = ''] = exercise.split('/');
    super(`Exercise ${exercise} is not implemented yet.`, {
      hint: [
        `Write it in exercises/${exercise}.ts; \`pnpm hint ${Number(dir.slice(0, 2))} ${name}\` gives a nudge.`,
        `Check it with \`pnpm grade ${Number(dir.slice(0, 2))}\`, or run without --mine to use the reference pieces.`,
      ].join('\n'),
    });
    this.name = 'NotImplementedError';
    this.exercise = exercise;
  }
}

/**
 * Something a learner's exercise piece threw while a pipeline ran it (`--mine`): a
 * TypeError, a DuckDB error from the SQL it sent, anything. The learner's to fix, so it
 * is reported like a user error (no stack dump of our code) with what they need: the
 * exercise, the message, the line in their file, and the SQL it ran.
 *
 * @example
 * throw new ExerciseError('01-star-schema/revenue-by-month', error, {
 *   location: 'exercises/01-star-schema/revenue-by-month.ts:17:10',
 * });
 */
export class ExerciseError extends CliError {
  /** `<stage-dir>/<exercise>`, as in exercises/info.yaml. */
  readonly exercise: string;
  /** What the learner's code threw. */
  readonly original: unknown;
  /** `exercises/<dir>/<file>.ts:line:column` of the first stack frame inside the learner's file. */
  readonly location: string | undefined;
  /** The SQL statement the learner's code ran, when a DuckDB error is the cause. */
  readonly sql: string | undefined;

  constructor(exercise: string, original: unknown, options: { location?: string; sql?: string } = {}) {
    const message = original instanceof Error ? original.message : String(original);
    super(`Your exercise ${exercise} failed: ${message}`, {
      hint: `Fix it in exercises/${exercise}.ts, check it with \`pnpm grade ${Number(exercise.slice(0, 2))}\`, or run without --mine to use the reference pieces.`,
      cause: original,
    });
    this.name = 'ExerciseError';
    this.exercise = exercise;
    this.original = original;
    this.location = options.location;
    this.sql = options.sql;
  }

  /** The message with where it happened and the SQL, as the CLI prints it. */
  describe(): string {
    const lines = [this.message];
    if (this.location) lines.push(`  at ${this.location}`);
    if (this.sql)
      lines.push(
        '  The SQL it ran:',
        ...dedent(this.sql)
          .split('\n')
          .map((line) => `    ${line}`),
      );
    return lines.join('\n');
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

import { CliError } from '@mart/shared';

/**
 * A project file cannot be compiled: a Jinja syntax error, an unknown ref, an
 * unsupported construct… The message starts with `file:line:col:` like a compiler's, so
 * editors and terminals link to the place.
 *
 * @example
 * throw new CompilationError('models/orders.sql', 3, 13, "'adapter' is not supported", { hint: 'Write the SQL directly.' });
 * // → models/orders.sql:3:13: 'adapter' is not supported
 */
export class CompilationError extends CliError {
  /** The file, relative to the project folder. */
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** The problem alone, without the position. */
  readonly problem: string;

  constructor(
    file: string,
    line: number | undefined,
    column: number | undefined,
    problem: string,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    const where = [file, line, line !== undefined ? column : undefined].filter((part) => part !== undefined).join(':');
    super(`${where}: ${problem}`, { hint: options.hint, cause: options.cause });
    this.name = 'CompilationError';
    this.file = file;
    this.line = line;
    this.column = column;
    this.problem = problem;
  }
}

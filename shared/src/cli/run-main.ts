import { createColors } from 'picocolors';
import { CliError, ExerciseError } from '../errors.ts';
import { describeSystemError } from './system-error.ts';

/** Options for {@link runMain} and {@link reportError}. */
export interface ReportOptions {
  /** Where errors go; default process.stderr. */
  stream?: NodeJS.WritableStream;
  /** Colour the error (a terminal, NO_COLOR unset). Default false. */
  color?: boolean;
}

/**
 * The one top-level try/catch of every entry point. A {@link CliError} is the user's to
 * fix: print its message and hint, no stack, and exit with its code. Anything else is
 * our bug: print the stack so it can be reported, except the file-system errors that are
 * the machine's (a file in the way, no permission, a full disk), which say what to do.
 *
 * @example
 * await runMain(() => courseMain(process.argv.slice(2), environment), { color: true });
 */
export async function runMain(main: () => Promise<number | undefined>, options: ReportOptions = {}): Promise<void> {
  try {
    process.exitCode = (await main()) ?? 0;
  } catch (error) {
    process.exitCode = reportError(error, options);
  }
}

/**
 * Writes an error the way {@link runMain} does and returns the exit code for it.
 * A learner's exercise that failed ({@link ExerciseError}) shows the message, the line
 * in their file and the SQL it ran; "a bug in Mini Data Mart" is only for our code.
 *
 * @example
 * const code = reportError(new CliError('boom'), { stream: process.stderr }); // → 1
 */
export function reportError(error: unknown, options: ReportOptions = {}): number {
  const stream = options.stream ?? process.stderr;
  const c = createColors(options.color ?? false);
  if (error instanceof CliError) {
    const text = error instanceof ExerciseError ? error.describe() : error.message;
    stream.write(`${c.red('✖')} ${text}\n`);
    if (error.hint) stream.write(`  ${c.dim(error.hint.split('\n').join('\n  '))}\n`);
    return error.exitCode;
  }
  const system = describeSystemError(error);
  if (system) {
    stream.write(`${c.red('✖')} ${system.message}\n  ${c.dim(system.hint)}\n`);
    return 1;
  }
  stream.write(`${c.red('Unexpected error (a bug in Mini Data Mart, please report it):')}\n`);
  stream.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

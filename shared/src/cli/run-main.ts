import pc from 'picocolors';
import { CliError, NotImplementedError } from '../errors.ts';

/**
 * The one top-level try/catch of every entry point. A {@link CliError} is the user's to
 * fix: print its message and hint, no stack, and exit with its code. Anything else is
 * our bug: print the stack so it can be reported.
 *
 * @example
 * await runMain(() => courseMain(process.argv.slice(2)));
 */
export async function runMain(main: () => Promise<number | undefined>): Promise<void> {
  try {
    process.exitCode = (await main()) ?? 0;
  } catch (error) {
    process.exitCode = await reportError(error, process.stderr);
  }
}

/**
 * Writes an error the way {@link runMain} does and returns the exit code for it.
 *
 * @example
 * const code = await reportError(new CliError('boom'), process.stderr); // → 1
 */
export async function reportError(error: unknown, stream: NodeJS.WritableStream): Promise<number> {
  if (error instanceof CliError) {
    stream.write(`${pc.red('✖')} ${error.message}\n`);
    const hint =
      error instanceof NotImplementedError ? ((await exerciseHint(error.exercise)) ?? error.hint) : error.hint;
    if (hint) stream.write(`  ${pc.dim(hint.split('\n').join('\n  '))}\n`);
    return error.exitCode;
  }
  stream.write(`${pc.red('Unexpected error (a bug in Mini Data Mart, please report it):')}\n`);
  stream.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

/** The exercise's hint from exercises/info.yaml, so `--mine` runs teach instead of crash. */
async function exerciseHint(key: string): Promise<string | undefined> {
  // Loaded only here: the YAML and schema libraries cost ~0.25 s of start-up otherwise.
  const { loadCurriculum } = await import('../course/curriculum.ts');
  const exercise = loadCurriculum()
    .flatMap((stage) => stage.exercises)
    .find((candidate) => candidate.key === key);
  return exercise && `Hint: ${exercise.hint}\nCheck it with: pnpm grade ${exercise.stage}`;
}

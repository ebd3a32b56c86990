import type { Command, CommandContext } from '../cli/command.ts';
import { commandHelp } from '../cli/help.ts';
import type { Io } from '../cli/io.ts';
import { writeLine, writeNote } from '../cli/io.ts';
import { parseCommandLine } from '../cli/parse-command-line.ts';
import { CliError } from '../errors.ts';
import type { MartPaths } from '../paths.ts';
import { MineScope } from './mine-scope.ts';

/** Where a command runs: the streams, the paths and colour, decided once at the entry. */
export interface RunEnvironment {
  io: Io;
  paths: MartPaths;
  /** Colour the output (a terminal, and NO_COLOR unset). */
  color: boolean;
  /** The process environment, for settings such as the lake's S3 endpoint. Default {}. */
  env?: NodeJS.ProcessEnv;
  /** The stage the command belongs to, so a bare `--mine` means that stage's pieces. */
  stage?: number;
}

/**
 * Parses `args` for `command`, prints `--help` if asked, else runs it and returns its
 * exit code. Every root and stage command goes through here. With `--mine`, a note
 * afterwards says whose pieces ran (on the error stream, so `--format json` stays clean).
 *
 * @example
 * await runCommand(inspect, 'pnpm stage 1 inspect', [], { io, paths, color: false, stage: 1 })
 */
export async function runCommand(
  command: Command,
  invocation: string,
  args: string[],
  environment: RunEnvironment,
): Promise<number> {
  const { options, positionals } = parseCommandLine(command, args, invocation);
  if (options.help) {
    writeLine(environment.io, commandHelp(invocation, command));
    return 0;
  }
  const mine = MineScope.parse(typeof options.mine === 'string' ? options.mine : undefined, environment.stage);
  const context = {
    options,
    positionals,
    mine,
    io: environment.io,
    paths: environment.paths,
    color: environment.color,
    env: environment.env ?? {},
  } as CommandContext;
  try {
    return (await command.run(context)) ?? 0;
  } catch (error) {
    if (mine.active && !(error instanceof CliError)) {
      // Our code failed, but on what the learner's pieces handed it: say so, keep the stack.
      writeNote(
        environment.io,
        `This error happened while your pieces ran (--mine). Run the same command without --mine: if it then works, a value your exercise returned is the cause, and \`pnpm grade ${environment.stage ?? ''}\` shows which.`.replace(
          ' ``',
          '',
        ),
      );
    }
    throw error;
  } finally {
    const summary = mine.summary();
    if (summary) writeNote(environment.io, summary);
  }
}

import type { Command, CommandContext } from '../cli/command.ts';
import { commandHelp } from '../cli/help.ts';
import type { Io } from '../cli/io.ts';
import { writeLine } from '../cli/io.ts';
import { parseCommandLine } from '../cli/parse-command-line.ts';

/**
 * Parses `args` for `command`, prints `--help` if asked, else runs it and returns its
 * exit code. Every root and stage command goes through here.
 *
 * @example
 * await runCommand(inspect, 'pnpm stage 1 inspect', [], io)
 */
export async function runCommand(command: Command, invocation: string, args: string[], io: Io): Promise<number> {
  const { options, positionals } = parseCommandLine(command, args, invocation);
  if (options.help) {
    writeLine(io, commandHelp(invocation, command));
    return 0;
  }
  const context: CommandContext = { options, positionals, mine: Boolean(options.mine), io };
  return (await command.run(context)) ?? 0;
}

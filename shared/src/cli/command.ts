import type { Io } from './io.ts';

/** One option of a command, declared once: parsing, validation and `--help` all read it. */
export interface OptionSpec {
  /** `string` takes a value (`--limit 3`); `boolean` is a flag (`--mine`). */
  type: 'string' | 'boolean';
  /** One line for `--help`. */
  description: string;
  /** Value shown in `--help` and used when the option is absent. */
  default?: string;
  /** The only values accepted; anything else is a usage error listing these. */
  choices?: readonly string[];
  /** Placeholder in `--help`, e.g. `N` for `--limit N`. */
  valueName?: string;
}

/** Parsed command line handed to a command. */
export interface CommandContext {
  /** Option values by name; string options fall back to their declared default. */
  options: Record<string, string | boolean | undefined>;
  /** Words after the command name that are not options. */
  positionals: string[];
  /** Run the pipeline with the learner's exercise pieces (`--mine`). */
  mine: boolean;
  /** Where to read and write. */
  io: Io;
}

/**
 * A command: what it does, what it accepts, and how to run it. Each lives in its own
 * file under a stage's `src/commands/` and is loaded only when used.
 *
 * @example
 * export const inspect: Command = {
 *   description: 'List tables, columns, types and row counts.',
 *   options: {},
 *   async run({ io }) { … },
 * };
 */
export interface Command {
  /** One line for `--help` and command lists. */
  description: string;
  /** Positional arguments for `--help`, e.g. `<sql>`. */
  usage?: string;
  /** Options besides the ones every stage command has (`--mine`, `--help`). */
  options: Record<string, OptionSpec>;
  /** Examples printed by `--help`. */
  examples?: string[];
  /** Does the work; returns the exit code (0 when omitted). */
  run(context: CommandContext): Promise<number | undefined>;
}

/** A command table: names to lazy loaders, so `pnpm stage 1 inspect` never loads `explore`. */
export type CommandTable = Record<string, () => Promise<Command>>;

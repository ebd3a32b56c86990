import type { MineScope } from '../course/mine-scope.ts';
import type { MartPaths } from '../paths.ts';
import type { Io } from './io.ts';

/** One option of a command, declared once: parsing, validation, types and `--help` all read it. */
export interface OptionSpec {
  /** `string` takes a value (`--limit 3`); `boolean` is a flag (`--yes`). */
  type: 'string' | 'boolean';
  /** One line for `--help`. */
  description: string;
  /** Value shown in `--help` and used when the option is absent. */
  default?: string;
  /** The only values accepted; anything else is a usage error listing these. */
  choices?: readonly string[];
  /** Placeholder in `--help`, e.g. `N` for `--limit N`. */
  valueName?: string;
  /** A one-letter alias, e.g. `s` for `-s` (dbt's `-s` for `--select`). */
  short?: string;
  /** The option may be given several times; its value is then every one, in order. */
  multiple?: boolean;
}

/** The declared options of a command. */
export type OptionSpecs = Record<string, OptionSpec>;

/**
 * The parsed value type of one declared option, derived from its declaration: a flag is
 * a boolean, a choice is one of its choices, a string with a default is always there.
 */
export type OptionValue<S extends OptionSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['multiple'] extends true
    ? string[]
    : S extends { choices: readonly (infer C)[] }
      ? S extends { default: string }
        ? C
        : C | undefined
      : S extends { default: string }
        ? string
        : string | undefined;

/** Parsed option values by name, typed from the declarations (see {@link defineCommand}). */
export type OptionValues<O extends OptionSpecs> = { [K in keyof O]: OptionValue<O[K]> };

/** Everything a command needs to run, handed to it instead of read from globals. */
export interface CommandContext<O extends OptionSpecs = OptionSpecs> {
  /** Option values by name; string options fall back to their declared default. */
  options: OptionValues<O>;
  /** Words after the command name that are not options. */
  positionals: string[];
  /** Whose exercise pieces to run (`--mine`, `--mine=all`); see {@link MineScope}. */
  mine: MineScope;
  /** Where to read and write text. */
  io: Io;
  /** The repository, the data folder and the folder the learner typed the command in. */
  paths: MartPaths;
  /** Colour the output: only when it is a terminal and NO_COLOR is unset. */
  color: boolean;
  /** The environment the command was started with (S3 settings, tokens…); never modified. */
  env: NodeJS.ProcessEnv;
}

/** What {@link defineCommand} takes: a command whose `run` sees typed options. */
export interface CommandSpec<O extends OptionSpecs> {
  /** One line for `--help` and command lists. */
  description: string;
  /** Positional arguments for `--help`, e.g. `<sql>`. */
  usage?: string;
  /** Options besides the ones every stage command has (`--mine`, `--help`). */
  options: O;
  /** Examples printed by `--help`. */
  examples?: string[];
  /** The command never runs exercise pieces, so `--mine` is not offered. */
  withoutMine?: boolean;
  /** Does the work; returns the exit code (0 when omitted). */
  run(context: CommandContext<O>): Promise<number | undefined>;
}

/**
 * A command: what it does, what it accepts, and how to run it. Each lives in its own
 * file under a stage's `src/commands/` and is loaded only when used.
 */
export interface Command extends Omit<CommandSpec<OptionSpecs>, 'run'> {
  run(context: CommandContext): Promise<number | undefined>;
}

/**
 * Declares a command. The options' types come from their declarations, so `run` reads
 * `options.limit` as `string | undefined` and `options.yes` as `boolean`, no casts.
 *
 * @example
 * export const inspect = defineCommand({
 *   description: 'List tables, columns, types and row counts.',
 *   options: { format: { type: 'string', default: 'table', choices: ['table', 'json'] } },
 *   async run({ options, io }) { … options.format … },
 * });
 */
export function defineCommand<const O extends OptionSpecs>(spec: CommandSpec<O>): Command {
  // The command line parser fills every declared option from the same declarations the
  // types come from, so the context it builds has exactly these types; TypeScript cannot
  // see that link through the erased `Command`, hence one cast here and nowhere else.
  return spec as unknown as Command;
}

/** A command table: names to lazy loaders, so `pnpm stage 1 inspect` never loads `explore`. */
export type CommandTable = Record<string, () => Promise<Command>>;

import { parseArgs } from 'node:util';
import { UsageError } from '../errors.ts';
import type { Command, OptionSpec, OptionSpecs, OptionValues } from './command.ts';

/** `--mine`, which every command running exercise pieces understands. */
export const mineOption: OptionSpec = {
  type: 'string',
  valueName: 'all',
  description: "Run your exercise pieces from exercises/ for this stage (=all: every stage's, =2,3: those).",
};

/** `--help`, which every command understands. */
export const helpOption: OptionSpec = { type: 'boolean', short: 'h', description: 'Show this help.' };

/** The options a command accepts: its own, `--mine` unless it runs no pieces, and `--help`. */
export function commandOptions(command: Command): OptionSpecs {
  return { ...command.options, ...(command.withoutMine ? {} : { mine: mineOption }), help: helpOption };
}

/** The result of {@link parseCommandLine}. */
export interface ParsedCommandLine {
  options: Record<string, string | string[] | boolean | undefined>;
  positionals: string[];
}

/**
 * Parses `args` against a command's declared options. Unknown options, missing values
 * and values outside `choices` become a {@link UsageError} that lists what is valid.
 * A bare `--mine` reads as `--mine=stage` (this stage's pieces).
 *
 * @example
 * parseCommandLine(exportCommand, ['--format', 'json'], 'pnpm stage 1 export').options.format // → 'json'
 */
export function parseCommandLine(command: Command, args: string[], name: string): ParsedCommandLine {
  const specs = commandOptions(command);
  const normalized = args.map((arg) => (arg === '--mine' && specs.mine ? '--mine=stage' : arg));
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: normalized,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        Object.entries(specs).map(([key, spec]) => [
          key,
          {
            type: spec.type,
            ...(spec.short ? { short: spec.short } : {}),
            ...(spec.multiple ? { multiple: true } : {}),
          },
        ]),
      ),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('. ')[0] : String(error);
    throw new UsageError(`${message} for \`${name}\`.`, {
      hint: `Valid options: ${Object.keys(specs)
        .map((key) => `--${key}`)
        .join(', ')}. See \`${name} --help\`.`,
    });
  }

  const options: ParsedCommandLine['options'] = {};
  for (const [key, spec] of Object.entries(specs)) {
    const value = parsed.values[key];
    const given = typeof value === 'string' || typeof value === 'boolean' || Array.isArray(value) ? value : undefined;
    const chosen = (given as string | string[] | boolean | undefined) ?? optionDefault(spec);
    options[key] = chosen;
    for (const one of Array.isArray(chosen) ? chosen : [chosen]) {
      if (spec.choices && typeof one === 'string' && !spec.choices.includes(one)) {
        throw new UsageError(`Invalid value "${one}" for --${key}.`, {
          hint: `Use one of: ${spec.choices.join(', ')}.`,
        });
      }
    }
  }
  return { options, positionals: parsed.positionals };
}

/** An option's value when it is not given: its default, `false` for a flag, `[]` for a repeated one. */
export function optionDefault(spec: OptionSpec): string | string[] | boolean | undefined {
  return spec.multiple ? [] : (spec.default ?? (spec.type === 'boolean' ? false : undefined));
}

/**
 * Every option's value when none is given, typed from the declarations: what code that
 * runs a command itself (the scheduler launching `materialize`) starts from.
 *
 * @example
 * ({ ...optionDefaults(materializeOptions), select: 'group:marts' }).concurrency // → '4'
 */
export function optionDefaults<const O extends OptionSpecs>(specs: O): OptionValues<O> {
  // Each value follows its declaration, as parseCommandLine's do; TypeScript cannot see
  // that through Object.entries, hence the cast.
  return Object.fromEntries(Object.entries(specs).map(([key, spec]) => [key, optionDefault(spec)])) as OptionValues<O>;
}

/**
 * Reads a whole, positive number option such as `--limit 3`, or a usage error naming it.
 *
 * @example
 * positiveInteger('3', 'limit') // → 3
 */
export function positiveInteger(raw: string | undefined, key: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new UsageError(`--${key} must be a whole number of 1 or more, not "${raw}".`);
  }
  return value;
}

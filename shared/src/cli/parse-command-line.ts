import { parseArgs } from 'node:util';
import { UsageError } from '../errors.ts';
import type { Command, OptionSpec } from './command.ts';

/** Every stage command understands these, so they are declared once here. */
export const commonOptions: Record<string, OptionSpec> = {
  mine: {
    type: 'boolean',
    description: 'Run with your exercise pieces from exercises/ instead of the reference solutions.',
  },
  help: { type: 'boolean', description: 'Show this help.' },
};

/** The result of {@link parseCommandLine}. */
export interface ParsedCommandLine {
  options: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * Parses `args` against a command's declared options. Unknown options, missing values
 * and values outside `choices` become a {@link UsageError} that lists what is valid.
 *
 * @example
 * parseCommandLine(exportCommand, ['--format', 'json']).options.format // → 'json'
 */
export function parseCommandLine(command: Command, args: string[], name: string): ParsedCommandLine {
  const specs = { ...command.options, ...commonOptions };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(Object.entries(specs).map(([key, spec]) => [key, { type: spec.type }])),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('. ')[0] : String(error);
    throw new UsageError(`${message} for \`${name}\`.`, {
      hint: `Valid options: ${Object.keys(specs)
        .map((key) => `--${key}`)
        .join(', ')}.`,
    });
  }

  const options: Record<string, string | boolean | undefined> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const value = parsed.values[key];
    const given = typeof value === 'string' || typeof value === 'boolean' ? value : undefined;
    options[key] = given ?? spec.default ?? (spec.type === 'boolean' ? false : undefined);
    const chosen = options[key];
    if (spec.choices && typeof chosen === 'string' && !spec.choices.includes(chosen)) {
      throw new UsageError(`Invalid value "${chosen}" for --${key}.`, {
        hint: `Use one of: ${spec.choices.join(', ')}.`,
      });
    }
  }
  return { options, positionals: parsed.positionals };
}

/**
 * Reads a whole, positive number option such as `--limit 3`, or a usage error naming it.
 *
 * @example
 * positiveInteger(options, 'limit') // → 3
 */
export function positiveInteger(options: Record<string, unknown>, key: string): number | undefined {
  const raw = options[key];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new UsageError(`--${key} must be a whole number of 1 or more, not "${String(raw)}".`);
  }
  return value;
}

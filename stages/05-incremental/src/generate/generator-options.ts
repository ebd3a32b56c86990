import { type OptionSpecs, type OptionValues, positiveInteger, UsageError } from '@mart/shared';

/** The generator's flags, for every command that makes daily batches (`generate` here, stage 6's `inbox`). */
export const generatorOptions = {
  days: { type: 'string', valueName: 'N', description: 'How many days.', default: '1' },
  'lines-per-day': {
    type: 'string',
    valueName: 'N',
    description: 'About how many sale lines a day.',
    default: '100',
  },
  seed: { type: 'string', valueName: 'S', description: 'Same seed, same days.', default: '42' },
} as const satisfies OptionSpecs;

/** The flags as numbers, or a usage error naming the one that is not. */
export function readGeneratorOptions(options: OptionValues<typeof generatorOptions>): {
  days: number;
  linesPerDay: number;
  seed: number;
} {
  const days = positiveInteger(options.days, 'days') ?? 1;
  const linesPerDay = positiveInteger(options['lines-per-day'], 'lines-per-day') ?? 100;
  const seed = Number(options.seed);
  if (!Number.isInteger(seed) || seed < 0)
    throw new UsageError(`--seed must be a whole number, not "${options.seed}".`);
  return { days, linesPerDay, seed };
}

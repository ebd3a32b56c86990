import type { MartPaths, OptionSpecs } from '@mart/shared';
import { defaultMaxRejectRate, parseRate } from '../load/check-reject-rates.ts';

const seedsShownAs = 'data/seeds/stage-02';

/** The options of every command that runs stage 2's loader (stage 2's build, stage 3's build). */
export const loadOptions = {
  input: {
    type: 'string',
    valueName: 'DIR',
    description: 'Folder with customers.csv, products.csv, stores.csv and sales.csv.',
    default: seedsShownAs,
  },
  'max-reject-rate': {
    type: 'string',
    valueName: 'R',
    description: 'Stop when a file has a larger share of rejected records: 0–1 or a percentage.',
    default: String(defaultMaxRejectRate),
  },
} as const satisfies OptionSpecs;

/** `--input` and `--max-reject-rate` as the loader wants them: a folder and a rate. */
export function parseLoadOptions(
  options: { input: string; 'max-reject-rate': string },
  paths: MartPaths,
): { inputDir: string; maxRejectRate: number } {
  return {
    inputDir: options.input === seedsShownAs ? paths.seeds(2) : paths.resolve(options.input),
    maxRejectRate: parseRate(options['max-reject-rate']),
  };
}

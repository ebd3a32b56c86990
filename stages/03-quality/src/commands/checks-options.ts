import { type MartPaths, type OptionSpecs, UsageError } from '@mart/shared';
import { defaultChecksPath } from '../default-checks.ts';

const defaultShownAs = 'stages/03-quality/checks.yml';

/** The options of every command that runs checks (quality, build). */
export const checksOptions = {
  checks: { type: 'string', valueName: 'FILE', description: 'The checks file (YAML).', default: defaultShownAs },
  now: {
    type: 'string',
    valueName: 'TIME',
    description: "Reference time for freshness (overrides the checks file's reference_time).",
  },
} as const satisfies OptionSpecs;

/** `--checks` as a path and `--now` as a Date (undefined when not given). */
export function parseChecksOptions(
  options: { checks: string; now: string | undefined },
  paths: MartPaths,
): { checksPath: string; now: Date | undefined } {
  const checksPath = options.checks === defaultShownAs ? defaultChecksPath : paths.resolve(options.checks);
  if (options.now === undefined) return { checksPath, now: undefined };
  const now = new Date(options.now);
  if (Number.isNaN(now.getTime())) {
    throw new UsageError(
      `--now must be a date or timestamp such as 2024-12-31 or 2024-12-31T08:00:00Z, not "${options.now}".`,
    );
  }
  return { checksPath, now };
}

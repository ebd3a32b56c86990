import { parseArgs } from 'node:util';
import { UsageError } from '@mart/shared';
import { findScenario, scenarios } from './scenarios/index.ts';

/** The command line of `pnpm bench`, checked. */
export interface BenchOptions {
  rows: number;
  repeat: number;
  /** Scenario names to run, in the registry's order; all of them by default. */
  scenarios: string[];
  /** Results file; undefined for bench/results/<timestamp>.json. */
  out: string | undefined;
  help: boolean;
}

export const defaultRows = 1_000_000;
export const defaultRepeat = 3;

/**
 * Parses `pnpm bench` arguments. Numbers may carry `_` or `,` separators (`--rows 1_000_000`).
 *
 * @example
 * parseBenchOptions(['--rows', '100000', '--scenario', 'generate']).rows // → 100000
 */
export function parseBenchOptions(args: string[]): BenchOptions {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(args).values;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('. ')[0] : String(error);
    throw new UsageError(`${message}.`, { hint: 'Run `pnpm bench --help` for the options.' });
  }
  const chosen = values.scenario ?? [];
  for (const name of chosen) {
    if (!findScenario(name)) {
      throw new UsageError(`Unknown scenario "${name}".`, {
        hint: `Scenarios: ${scenarios.map((scenario) => scenario.name).join(', ')}.`,
      });
    }
  }
  return {
    rows: count(values.rows, 'rows', defaultRows),
    repeat: count(values.repeat, 'repeat', defaultRepeat),
    scenarios: scenarios
      .map((scenario) => scenario.name)
      .filter((name) => chosen.length === 0 || chosen.includes(name)),
    out: values.out,
    help: values.help ?? false,
  };
}

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    options: {
      rows: { type: 'string' },
      repeat: { type: 'string' },
      scenario: { type: 'string', multiple: true },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
}

function count(raw: string | undefined, key: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.replaceAll(/[_,]/g, ''));
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`--${key} must be a whole number of 1 or more, not "${raw}".`);
  }
  return value;
}

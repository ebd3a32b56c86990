import { UsageError } from '@mart/shared';
import type { AnalysisParam, AnalysisParams } from './analysis.ts';

/** Largest top-N we accept: beyond that a table is no longer a "top". */
export const maxLimit = 1000;

/**
 * Checks one parameter value; returns an error message, or undefined when it is fine.
 * The same check serves the interactive prompt (shown inline) and the scripted option.
 */
export function checkParam(param: AnalysisParam, value: string): string | undefined {
  if (param.name === 'limit') {
    const n = Number(value);
    return Number.isInteger(n) && n >= 1 && n <= maxLimit ? undefined : `Enter a whole number from 1 to ${maxLimit}.`;
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const time = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  const valid = !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
  return valid ? undefined : 'Enter a date as YYYY-MM-DD, for example 2024-03-31.';
}

/** Validates raw values (defaults filled in) into typed params, or throws a usage error naming the option. */
export function parseParams(params: AnalysisParam[], raw: Record<string, string | undefined>): AnalysisParams {
  const values: AnalysisParams = { limit: 5, from: '', to: '' };
  for (const param of params) {
    const value = raw[param.name] ?? param.default;
    const problem = checkParam(param, value);
    if (problem) throw new UsageError(`Invalid --${param.name} "${value}". ${problem}`);
    if (param.name === 'limit') values.limit = Number(value);
    else values[param.name] = value;
  }
  if (values.from && values.to && values.from > values.to) {
    throw new UsageError(`--from ${values.from} is after --to ${values.to}.`, { hint: 'Swap them.' });
  }
  return values;
}

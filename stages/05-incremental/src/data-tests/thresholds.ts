import { NodeError } from '../run/node-error.ts';

/** A parsed `warn_if` / `error_if` condition, e.g. `!= 0` or `>10`. */
export interface Threshold {
  operator: '=' | '!=' | '>' | '>=' | '<' | '<=';
  value: number;
  /** As written in the config: dbt's messages quote it (`configured to fail if != 0`). */
  text: string;
}

const pattern = /^\s*(==|=|!=|<>|>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$/;

/**
 * Reads a threshold. dbt splices `fail_calc ~ ' ' ~ warn_if` into SQL; here the condition
 * is parsed and evaluated in TypeScript, so only a comparison with a number is accepted.
 *
 * @example
 * parseThreshold('>10', 'warn_if') // → { operator: '>', value: 10, text: '>10' }
 */
export function parseThreshold(text: unknown, key: 'warn_if' | 'error_if'): Threshold {
  const written = text === null || text === undefined ? '!= 0' : String(text);
  const match = pattern.exec(written);
  if (!match) {
    throw new NodeError('Compilation', `${key} '${written}' is not a condition this runner can evaluate.`, {
      hint: `Write a comparison with a number, like '!= 0', '>10' or '>= 100'.`,
    });
  }
  const op = match[1] as string;
  const operator = (op === '==' ? '=' : op === '<>' ? '!=' : op) as Threshold['operator'];
  return { operator, value: Number(match[2]), text: written.trim() };
}

/** Whether `failures` meets the condition; a NULL count (e.g. sum over no rows) meets none, as in SQL. */
export function thresholdMet(failures: number | null, threshold: Threshold): boolean {
  if (failures === null || Number.isNaN(failures)) return false;
  const { operator, value } = threshold;
  switch (operator) {
    case '=':
      return failures === value;
    case '!=':
      return failures !== value;
    case '>':
      return failures > value;
    case '>=':
      return failures >= value;
    case '<':
      return failures < value;
    case '<=':
      return failures <= value;
  }
}

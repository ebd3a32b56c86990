import type { Selection } from '../given/types.ts';

/** Words that would read as syntax if left unquoted (and that Dagster's lexer takes as keywords). */
const reserved = new Set([
  'and',
  'AND',
  'or',
  'OR',
  'not',
  'NOT',
  'key',
  'tag',
  'owner',
  'group',
  'kind',
  'roots',
  'sinks',
]);

/** How tightly each kind of node binds: an operand binding less tightly than its parent needs parentheses. */
const precedence = { or: 1, and: 2, not: 3 } as const;

/**
 * A selection written back in Dagster's syntax, with as few quotes and parentheses as
 * reading it back needs: `parseSelection(formatSelection(s))` equals `s`. For messages
 * ("Selected 4 assets: +key:dbt/fct_sales") and run records.
 *
 * @example
 * formatSelection({ kind: 'traverse', up: 'all', down: 1, operand: { kind: 'attribute', attribute: 'owner', value: 'a@b.com' } })
 * // → '+owner:"a@b.com"+1'
 */
export function formatSelection(selection: Selection): string {
  switch (selection.kind) {
    case 'all':
      return '*';
    case 'attribute':
      return `${selection.attribute}:${formatValue(selection.value, selection.attribute === 'key')}`;
    case 'tag':
      return `tag:${formatValue(selection.key, false)}${selection.value === undefined ? '' : `=${formatValue(selection.value, false)}`}`;
    case 'or':
    case 'and': {
      const level = precedence[selection.kind];
      // Left-associative: a same-level left operand needs no parentheses, a right one does.
      const left = wrap(selection.left, level, false);
      const right = wrap(selection.right, level, true);
      return `${left} ${selection.kind} ${right}`;
    }
    case 'not':
      return `not ${wrap(selection.operand, precedence.not, false)}`;
    case 'function':
      return `${selection.name}(${formatSelection(selection.operand)})`;
    case 'traverse': {
      const operand = formatSelection(selection.operand);
      const traversable = ['attribute', 'tag', 'function'].includes(selection.operand.kind);
      const inner = traversable ? operand : `(${operand})`;
      const up = selection.up === 'all' ? '+' : `${selection.up}+`;
      const down = selection.down === 'all' ? '+' : `+${selection.down}`;
      if (selection.down === 0) return `${up}${inner}`;
      return `${selection.up === 0 ? '' : up}${inner}${down}`;
    }
  }
}

function wrap(operand: Selection, level: number, strictly: boolean): string {
  const text = formatSelection(operand);
  const own = operand.kind in precedence ? precedence[operand.kind as keyof typeof precedence] : 4;
  return own < level || (strictly && own === level) ? `(${text})` : text;
}

function formatValue(value: string, wildcards: boolean): string {
  if (/["\\\r\n]/.test(value)) {
    throw new Error(
      `A selection value cannot hold a double quote, a backslash or a line break: ${JSON.stringify(value)}.`,
    );
  }
  const plain = wildcards ? /^[A-Za-z_*][A-Za-z0-9_*/]*$/ : /^[A-Za-z_][A-Za-z0-9_/]*$/;
  return plain.test(value) && value !== '*' && !reserved.has(value) ? value : `"${value}"`;
}

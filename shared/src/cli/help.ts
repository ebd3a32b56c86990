import type { Command } from './command.ts';
import { commandOptions } from './parse-command-line.ts';

/**
 * The `--help` text of one command, built from its declaration.
 *
 * @example
 * commandHelp('pnpm stage 1 export', exportCommand)
 */
export function commandHelp(invocation: string, command: Command): string {
  const lines = [
    `Usage: ${invocation}${command.usage ? ` ${command.usage}` : ''} [options]`,
    '',
    command.description,
    '',
    'Options:',
  ];
  const specs = commandOptions(command);
  const labels = Object.entries(specs).map(([key, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : '';
    if (key === 'mine') return '--mine[=all]';
    const value = spec.type === 'string' ? ` <${spec.valueName ?? spec.choices?.join('|') ?? 'value'}>` : '';
    return `${short}--${key}${value}${spec.multiple ? ' …' : ''}`;
  });
  const width = Math.max(...labels.map((label) => label.length));
  Object.values(specs).forEach((spec, i) => {
    const extra = spec.default === undefined ? '' : ` (default: ${spec.default})`;
    lines.push(`  ${(labels[i] ?? '').padEnd(width)}  ${spec.description}${extra}`);
  });
  if (command.examples?.length) {
    lines.push('', 'Examples:', ...command.examples.map((example) => `  ${example}`));
  }
  return lines.join('\n');
}

/**
 * A two-column list (`name  description`) for command and stage listings.
 *
 * @example
 * columns([['build', 'Build the warehouse.']]) // → '  build  Build the warehouse.'
 */
export function columns(rows: Array<[string, string]>): string {
  const width = Math.max(0, ...rows.map(([name]) => name.length));
  return rows.map(([name, text]) => `  ${name.padEnd(width)}  ${text}`).join('\n');
}

import type { Command } from './command.ts';
import { commonOptions } from './parse-command-line.ts';

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
  const specs = { ...command.options, ...commonOptions };
  const labels = Object.entries(specs).map(([key, spec]) =>
    spec.type === 'string' ? `--${key} <${spec.valueName ?? spec.choices?.join('|') ?? 'value'}>` : `--${key}`,
  );
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

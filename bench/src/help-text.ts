import { defaultRepeat, defaultRows } from './bench-options.ts';
import { scenarios } from './scenarios/index.ts';

/** `pnpm bench --help`. */
export function helpText(): string {
  const width = Math.max(...scenarios.map((scenario) => scenario.name.length));
  const names = scenarios.map((scenario) => `  ${scenario.name.padEnd(width)} ${scenario.description}`);
  return `Usage: pnpm bench [--rows N] [--scenario NAME]... [--repeat N] [--out FILE]

Runs each scenario with our code and with raw DuckDB doing the same work, each side in
fresh processes, and reports median time, peak memory (RSS) and ours ÷ DuckDB ratios.

Options:
  --rows N         Sale lines to generate and load (default ${defaultRows.toLocaleString('en-US')}).
  --scenario NAME  Run only this scenario; repeat the option for several (default: all).
  --repeat N       Runs per side; the median time and the highest RSS are reported (default ${defaultRepeat}).
  --out FILE       Results JSON (default bench/results/<timestamp>.json).

Scenarios:
${names.join('\n')}
`;
}

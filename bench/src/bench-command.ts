import { defineCommand, UsageError, writeNote } from '@mart/shared';
import { machineInfo } from './machine-info.ts';
import { measureScenario } from './measure-scenario.ts';
import { defaultResultsPath, writeResults } from './results-file.ts';
import { resultsTable } from './results-table.ts';
import type { ScenarioResult } from './scenario-result.ts';
import { scenarios } from './scenarios/index.ts';

export const defaultRows = 1_000_000;
export const defaultRepeat = 3;

const width = Math.max(...scenarios.map((scenario) => scenario.name.length));

/**
 * `pnpm bench`: each scenario, ours against raw DuckDB, as a table and a JSON file.
 * Declared like every other command, so parsing, errors and `--help` are the CLI's own.
 */
export const bench = defineCommand({
  description: [
    'Runs each scenario with our code and with raw DuckDB doing the same work, each side in',
    'fresh processes, and reports median time, peak memory (RSS) and ours ÷ DuckDB ratios.',
    '',
    'Scenarios:',
    ...scenarios.map((scenario) => `  ${scenario.name.padEnd(width)} ${scenario.description}`),
  ].join('\n'),
  withoutMine: true,
  options: {
    rows: {
      type: 'string',
      valueName: 'N',
      description: 'Sale lines to generate and load; `_` or `,` may separate thousands.',
      default: String(defaultRows),
    },
    scenario: {
      type: 'string',
      valueName: 'NAME',
      multiple: true,
      choices: scenarios.map((scenario) => scenario.name),
      description: 'Run only this scenario; repeat the option for several (default: all).',
    },
    repeat: {
      type: 'string',
      valueName: 'N',
      description: 'Runs per side; the median time and the highest RSS are reported.',
      default: String(defaultRepeat),
    },
    out: { type: 'string', valueName: 'FILE', description: 'Results JSON (default bench/results/<timestamp>.json).' },
  },
  examples: ['pnpm bench', 'pnpm bench --rows 100_000 --scenario lake-read --scenario lake-write'],
  async run({ options, io }) {
    const rows = count(options.rows, 'rows');
    const repeat = count(options.repeat, 'repeat');
    const chosen = scenarios.filter(
      (scenario) => options.scenario.length === 0 || options.scenario.includes(scenario.name),
    );
    const startedAt = new Date().toISOString();
    const machine = machineInfo();
    writeNote(
      io,
      `Benchmarking ${rows.toLocaleString('en-US')} rows, ${repeat} runs per side, ` +
        `on ${machine.cpus} CPUs, Node ${machine.node}, DuckDB ${machine.duckdb}`,
    );
    const results: ScenarioResult[] = [];
    for (const scenario of chosen) {
      results.push(
        ...(await measureScenario(scenario, { rows, repeat, onProgress: (message) => writeNote(io, `  ${message}`) })),
      );
    }
    io.output.write(`${resultsTable(results)}\n`);
    io.output.write(
      'time ratio = ours ÷ DuckDB median time; ours ÷ floor = ours ÷ raw SDK + DuckDB on the same bytes; RSS ratio = ours ÷ DuckDB peak RSS. 1 = par.\n',
    );
    const path = writeResults(options.out ?? defaultResultsPath(startedAt), {
      startedAt,
      finishedAt: new Date().toISOString(),
      rows,
      repeat,
      machine,
      scenarios: results,
    });
    io.output.write(`Results: ${path}\n`);
    return 0;
  },
});

/** `1_000_000` or `1,000,000` → 1000000; a usage error for anything but a whole number ≥ 1. */
function count(raw: string, key: string): number {
  const value = Number(raw.replaceAll(/[_,]/g, ''));
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`--${key} must be a whole number of 1 or more, not "${raw}".`);
  }
  return value;
}

// `pnpm bench`: each scenario, ours against raw DuckDB, as a table and a JSON file.
import { runMain } from '@mart/shared';
import { parseBenchOptions } from './bench-options.ts';
import { helpText } from './help-text.ts';
import { machineInfo } from './machine-info.ts';
import { measureScenario } from './measure-scenario.ts';
import { defaultResultsPath, writeResults } from './results-file.ts';
import { resultsTable } from './results-table.ts';
import type { ScenarioResult } from './scenario-result.ts';
import { findScenario } from './scenarios/index.ts';

await runMain(async () => {
  const options = parseBenchOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(helpText());
    return 0;
  }
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  process.stderr.write(
    `Benchmarking ${options.rows.toLocaleString('en-US')} rows, ${options.repeat} runs per side, ` +
      `on ${machine.cpus} CPUs, Node ${machine.node}, DuckDB ${machine.duckdb}\n`,
  );

  const results: ScenarioResult[] = [];
  for (const name of options.scenarios) {
    const scenario = findScenario(name);
    if (!scenario) continue; // parseBenchOptions already refused unknown names
    results.push(
      await measureScenario(scenario, {
        rows: options.rows,
        repeat: options.repeat,
        onProgress: (message) => process.stderr.write(`  ${message}\n`),
      }),
    );
  }

  process.stdout.write(`${resultsTable(results)}\n`);
  process.stdout.write('time ratio = ours ÷ DuckDB median time; RSS ratio = ours ÷ DuckDB peak RSS. 1 = par.\n');
  const path = writeResults(options.out ?? defaultResultsPath(startedAt), {
    startedAt,
    finishedAt: new Date().toISOString(),
    rows: options.rows,
    repeat: options.repeat,
    machine,
    scenarios: results,
  });
  process.stdout.write(`Results: ${path}\n`);
  return 0;
});

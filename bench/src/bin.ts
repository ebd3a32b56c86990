// `pnpm bench`: each scenario, ours against raw DuckDB, as a table and a JSON file.
import { MartPaths, processIo, runCommand, runMain, useColor } from '@mart/shared';
import { bench } from './bench-command.ts';

await runMain(
  () =>
    runCommand(bench, 'pnpm bench', process.argv.slice(2), {
      io: processIo(),
      paths: new MartPaths(),
      color: useColor(process.stdout, process.env),
      env: process.env,
    }),
  { color: useColor(process.stderr, process.env) },
);

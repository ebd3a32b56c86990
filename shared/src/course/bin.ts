// The process entry behind `pnpm start|stage|grade|hint|reset|diff` (see the root package.json).
// The one place that reads the environment: paths and colour go down in the command context.
import { processIo, useColor } from '../cli/io.ts';
import { runMain } from '../cli/run-main.ts';
import { martPathsFromEnv } from '../paths.ts';
import { courseMain } from './main.ts';

// `pnpm stage 2 inspect | head` closes the pipe early: stop quietly, like any Unix tool.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const io = processIo();
const environment = {
  io,
  paths: martPathsFromEnv(process.env),
  color: useColor(process.stdout, process.env),
  env: process.env,
};
await runMain(() => courseMain(process.argv.slice(2), environment), {
  color: useColor(process.stderr, process.env),
});

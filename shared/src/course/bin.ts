// The process entry behind `pnpm start|stage|grade|hint|reset|diff` (see the root package.json).
import { processIo } from '../cli/io.ts';
import { runMain } from '../cli/run-main.ts';
import { courseMain } from './main.ts';

// `pnpm stage 2 inspect | head` closes the pipe early: stop quietly, like any Unix tool.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

await runMain(() => courseMain(process.argv.slice(2), processIo()));

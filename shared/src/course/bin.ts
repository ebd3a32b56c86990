// The process entry behind `pnpm start|stage|grade|hint|reset|diff` (see the root package.json).
import { processIo } from '../cli/io.ts';
import { runMain } from '../cli/run-main.ts';
import { courseMain } from './main.ts';

await runMain(() => courseMain(process.argv.slice(2), processIo()));

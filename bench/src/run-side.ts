// Child entry: runs one side of one scenario once and prints a SideRun as JSON.
// `node --import tsx bench/src/run-side.ts <scenario> <ours|baseline> --rows N --input DIR --run-dir DIR [--variant V]`
// Deliberately imports nothing from @mart/* at the top: the baseline's peak memory must
// not include our code, so each side loads only what its loader imports.
import { parseArgs } from 'node:util';
import { type Side, type SideContext, sides, type WorkReport } from './scenario.ts';
import { findScenario } from './scenarios/index.ts';
import type { SideRun } from './side-run.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    rows: { type: 'string' },
    input: { type: 'string' },
    'run-dir': { type: 'string' },
    variant: { type: 'string' },
  },
});
const [name = '', sideName = ''] = positionals;
const scenario = findScenario(name);
if (!scenario) throw new Error(`Unknown scenario "${name}".`);
if (!isSide(sideName)) throw new Error(`Unknown side "${sideName}": use ${sides.join(' or ')}.`);
const rows = Number(values.rows);
const { input, 'run-dir': runDir } = values;
if (!Number.isInteger(rows) || rows < 1 || !input || !runDir) throw new Error('Need --rows, --input and --run-dir.');

const afterWork: (() => Promise<void> | void)[] = [];
const figures: WorkReport = {};
const context: SideContext = {
  rows,
  inputDir: input,
  runDir,
  variant: values.variant,
  afterWork: (step) => afterWork.push(step),
  report: (more) => Object.assign(figures, more),
};
const load = scenario[sideName];
if (!load) throw new Error(`Scenario "${name}" has no ${sideName} side.`);
let result: SideRun;
try {
  const work = await load(context);
  const rssBeforeKib = Math.round(process.memoryUsage().rss / 1024);
  const started = performance.now();
  await work(context);
  const ms = performance.now() - started;
  // Work done in a child process (a CLI command) peaks there: the run's peak is the larger.
  const maxRssKib = Math.max(process.resourceUsage().maxRSS, figures.childMaxRssKib ?? 0);
  result = { ms, rssBeforeKib, ...figures, maxRssKib };
} finally {
  // Untimed clean-up of what the loader set up, last first (e.g. stop an embedded server).
  for (const step of afterWork.reverse()) await step();
}
process.stdout.write(`${JSON.stringify(result)}\n`);

function isSide(value: string): value is Side {
  return (sides as readonly string[]).includes(value);
}

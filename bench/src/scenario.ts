/** Which implementation a child process runs: our code, or raw DuckDB doing the same work. */
export type Side = 'ours' | 'baseline';

export const sides: readonly Side[] = ['ours', 'baseline'];

/** What the harness hands a scenario. */
export interface ScenarioContext {
  /** The scale: sale lines (fact rows) to generate, load or check. */
  rows: number;
  /** A folder filled once by `prepare` and shared read-only by every run of both sides. */
  inputDir: string;
  /** A fresh, empty folder for one run's output; the harness deletes it after the run. */
  runDir: string;
}

/** The timed part of one side, with its modules already imported. */
export type Work = (context: ScenarioContext) => Promise<void>;

/**
 * One benchmark: the same job done by our code and by raw DuckDB.
 *
 * Each side is a loader that imports what it needs and returns the work to time. The
 * child process calls the loader before starting the clock, so imports are not timed,
 * and only that side's modules are loaded, so the baseline's peak memory does not
 * include our code. Keep heavy imports inside the loaders, not at the top of the file:
 * the registry (and so every scenario file) is loaded by every child.
 */
export interface Scenario {
  /** Kebab-case, used on the command line: `pnpm bench --scenario <name>`. */
  name: string;
  /** One line for `--help` and the results file. */
  description: string;
  /** Runs once in the harness, untimed, before any side: e.g. generates the input files. */
  prepare?: (context: ScenarioContext) => Promise<void>;
  ours: () => Promise<Work>;
  baseline: () => Promise<Work>;
}

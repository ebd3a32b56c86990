/**
 * Which implementation a child process runs: our code, raw DuckDB doing the same work
 * on local files (the baseline), or — for the lake scenarios — the physical floor of the
 * same job over the network: the raw S3 SDK moving exactly the bytes ours needs, plus
 * DuckDB working on them locally.
 */
export type Side = 'ours' | 'baseline' | 'floor';

export const sides: readonly Side[] = ['ours', 'baseline', 'floor'];

/** What the harness hands a scenario. */
export interface ScenarioContext {
  /** The scale: sale lines (fact rows) to generate, load or check. */
  rows: number;
  /** A folder filled once by `prepare` and shared read-only by every run of both sides. */
  inputDir: string;
  /** A fresh, empty folder for one run's output; the harness deletes it after the run. */
  runDir: string;
}

/** Extra figures a side may report about its run, besides time and memory. */
export interface WorkReport {
  /** Bytes the work moved to or from storage, e.g. uploaded to or downloaded from S3. */
  bytesMoved?: number;
  /** Bytes in the files a read could have fetched (the visible files of the table): bytesMoved's whole. */
  bytesInFiles?: number;
  /** Units of work the run did (assets, statements): the table then shows milliseconds per step. */
  steps?: number;
  /**
   * Peak RSS of the largest process the work started (a CLI command), in KiB: the run's
   * peak memory is then the larger of it and the side's own, as the work happens there.
   */
  childMaxRssKib?: number;
}

/** What a side's loader and its work get: the run's context and two hooks. */
export interface SideContext extends ScenarioContext {
  /** The variant of ours this run measures (see {@link Scenario.variants}); undefined otherwise. */
  variant: string | undefined;
  /**
   * Registers a step to run after the timed work, untimed (in reverse order of
   * registration), e.g. stopping a server the loader started.
   */
  afterWork(step: () => Promise<void> | void): void;
  /** Adds figures to this run's result (see {@link WorkReport}); the last value of each wins. */
  report(figures: WorkReport): void;
}

/** The timed part of one side, with its modules already imported. */
export type Work = (context: SideContext) => Promise<void>;

/**
 * One benchmark: the same job done by our code and by raw DuckDB.
 *
 * Each side is a loader that imports what it needs and returns the work to time. The
 * child process calls the loader before starting the clock, so imports are not timed,
 * and only that side's modules are loaded, so the baseline's peak memory does not
 * include our code. Keep heavy imports inside the loaders, not at the top of the file:
 * the registry (and so every scenario file) is loaded by every child.
 *
 * A loader may also set up state for its run outside the clock (say, start an embedded
 * S3 server in the run's folder) and register its undoing with `afterWork`.
 */
export interface Scenario {
  /** Kebab-case, used on the command line: `pnpm bench --scenario <name>`. */
  name: string;
  /** One line for `--help` and the results file. */
  description: string;
  /**
   * Versions of ours to measure against the same baseline runs, e.g. `concurrency 1` and
   * `concurrency 4`: each round runs ours once per variant (its loader reads `variant`),
   * and each variant is a row of its own, with its own ratios.
   */
  variants?: readonly string[];
  /** Runs once in the harness, untimed, before any side: e.g. generates the input files. */
  prepare?: (context: ScenarioContext) => Promise<void>;
  ours: (context: SideContext) => Promise<Work>;
  baseline: (context: SideContext) => Promise<Work>;
  /** Optional third side: the physical floor (raw SDK + DuckDB on the same bytes), see {@link Side}. */
  floor?: (context: SideContext) => Promise<Work>;
}

import { release } from 'node:os';
import { join } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { startVitest } from 'vitest/node';
import { repoRoot } from '../paths.ts';
import { gradedVitestConfig } from '../testing/vitest-config.ts';
import type { TestFailure, TestFileResult } from './grade-report.ts';

/** Options for {@link runGradedTests}. */
export interface RunGradedTestsOptions {
  /** Folder whose pieces the graded tests import: exercises/, solutions/ or a copy. */
  trackDir: string;
  /** Stage folders to grade, e.g. ['01-star-schema']. */
  stageDirs: string[];
  /** Keep running and re-grade on every save. */
  watch?: boolean;
  /** Poll for changes instead of relying on file-system events. */
  poll?: boolean;
  /** Called after every run (once, or after each save in watch mode). */
  onResults(results: TestFileResult[]): void | Promise<void>;
}

/**
 * Runs the graded suites in tests/ with vitest's Node API, with `@mart/track` pointing at
 * `trackDir` (see gradedVitestConfig), and hands the per-file results to `onResults`.
 * Vitest's own output is replaced by our reporter; the grade is printed by the caller.
 *
 * @example
 * await runGradedTests({ trackDir: 'exercises', stageDirs: ['01-star-schema'], onResults: print });
 */
export async function runGradedTests(options: RunGradedTestsOptions): Promise<void> {
  const root = repoRoot();
  const reporter: Reporter = {
    async onTestRunEnd(testModules) {
      await options.onResults(testModules.map(toFileResult));
    },
  };
  // Editors on some file systems (WSL's /mnt, network drives, Docker volumes) do not
  // deliver change events; polling costs a little CPU but always notices a save.
  const usePolling = options.poll ?? isWslWindowsDrive();
  // Our reporter only: not the JSON report file CI asks `pnpm test` for.
  const { test: testConfig, ...config } = gradedVitestConfig(root, options.trackDir);
  const { reporters: _reporters, outputFile: _outputFile, ...test } = testConfig ?? {};
  const vitest = await startVitest(
    'test',
    options.stageDirs.map((dir) => `${dir}/`),
    { root: join(root, 'tests'), config: false, watch: options.watch ?? false, reporters: [reporter] },
    {
      ...config,
      test,
      server: { watch: usePolling ? { usePolling: true, interval: 300 } : {} },
    },
  );
  if (!options.watch) await vitest.close();
}

function toFileResult(module: TestModule): TestFileResult {
  const tests = [...module.children.allTests()].map((test) => {
    const result = test.result();
    const error = result.state === 'failed' ? result.errors[0] : undefined;
    return { name: test.name, passed: result.state === 'passed', ...(error ? { error: toFailure(error) } : {}) };
  });
  const fileError = module.errors()[0];
  return { file: module.moduleId, tests, ...(fileError ? { fileError: toFailure(fileError) } : {}) };
}

/** What the grade needs of a test error: its message, the diff, and the SQL of a SqlError. */
function toFailure(error: { name?: string; message: string; diff?: string; [key: string]: unknown }): TestFailure {
  const sql = error.sql;
  return {
    ...(error.name ? { name: error.name } : {}),
    message: error.message,
    ...(error.diff ? { diff: error.diff } : {}),
    ...(typeof sql === 'string' ? { sql } : {}),
  };
}

function isWslWindowsDrive(): boolean {
  return process.platform === 'linux' && /microsoft/i.test(release()) && process.cwd().startsWith('/mnt/');
}

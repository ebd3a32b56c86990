import { release } from 'node:os';
import { join } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { startVitest } from 'vitest/node';
import { repoRoot } from '../paths.ts';
import type { TestFileResult } from './grade-report.ts';

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
 * `trackDir` (see tests/vitest.config.ts), and hands the per-file results to `onResults`.
 * Vitest's own output is replaced by our reporter; the grade is printed by the caller.
 *
 * @example
 * await runGradedTests({ trackDir: 'exercises', stageDirs: ['01-star-schema'], onResults: print });
 */
export async function runGradedTests(options: RunGradedTestsOptions): Promise<void> {
  const root = repoRoot();
  process.env.MART_TRACK_DIR = options.trackDir;
  const reporter: Reporter = {
    async onTestRunEnd(testModules) {
      await options.onResults(testModules.map(toFileResult));
    },
  };
  // Editors on some file systems (WSL's /mnt, network drives, Docker volumes) do not
  // deliver change events; polling costs a little CPU but always notices a save.
  const usePolling = options.poll ?? isWslWindowsDrive();
  const vitest = await startVitest(
    'test',
    options.stageDirs.map((dir) => `${dir}/`),
    {
      root: join(root, 'tests'),
      config: join(root, 'tests', 'vitest.config.ts'),
      watch: options.watch ?? false,
      reporters: [reporter],
    },
    { server: { watch: usePolling ? { usePolling: true, interval: 300 } : {} } },
  );
  if (!options.watch) await vitest.close();
}

function toFileResult(module: TestModule): TestFileResult {
  const tests = [...module.children.allTests()].map((test) => {
    const result = test.result();
    const error = result.state === 'failed' ? result.errors[0] : undefined;
    return {
      name: test.name,
      passed: result.state === 'passed',
      ...(error ? { error: { name: error.name, message: error.message } } : {}),
    };
  });
  const fileError = module.errors()[0];
  return {
    file: module.moduleId,
    tests,
    ...(fileError ? { fileError: { name: fileError.name, message: fileError.message } } : {}),
  };
}

function isWslWindowsDrive(): boolean {
  return process.platform === 'linux' && /microsoft/i.test(release()) && process.cwd().startsWith('/mnt/');
}

import { join } from 'node:path';
import type { ViteUserConfig } from 'vitest/config';
import { stripOnlyPlugin } from './strip-only-plugin.ts';

/**
 * The vitest settings every package shares. When `MART_TEST_REPORT_DIR` is set (CI),
 * each package also writes vitest's JSON report there, so .ci/run can add up the
 * totals of all packages into one "N passed, N failed" line.
 *
 * @example
 * export default defineConfig(martVitestConfig('stage-01'));
 */
export function martVitestConfig(name: string, extra: ViteUserConfig = {}): ViteUserConfig {
  const reportDir = process.env.MART_TEST_REPORT_DIR;
  return {
    ...extra,
    test: {
      name,
      include: ['test/**/*.test.ts'],
      // Tests build real DuckDB files and start real processes: give them room on a
      // 2-core machine running every package's tests at once (a CLI test of 15 s alone
      // was measured at 68 s there), and no retries that could hide a flaky test. A
      // limit, not a wait: every test waits for events and ends as soon as they come.
      testTimeout: 180_000,
      hookTimeout: 180_000,
      ...(reportDir ? { reporters: ['default', 'json'], outputFile: { json: join(reportDir, `${name}.json`) } } : {}),
      ...extra.test,
    },
  };
}

/**
 * The graded suites' settings (tests/): `@mart/track/<stage>` resolves to `trackDir`'s
 * copy of the pieces, exercises/ for `pnpm grade`, solutions/ for `pnpm test`, or a
 * learner's folder for `--track`. Passed to vitest directly by `pnpm grade`, so grading
 * never has to smuggle the folder through an environment variable.
 *
 * @example
 * export default defineConfig(gradedVitestConfig(root, join(root, 'solutions')));
 */
export function gradedVitestConfig(root: string, trackDir: string): ViteUserConfig {
  return martVitestConfig('graded', {
    root: join(root, 'tests'),
    // A piece Node would refuse to run (an enum) fails its grade, as the stage would refuse it.
    plugins: [stripOnlyPlugin(trackDir)],
    resolve: {
      alias: [
        { find: /^@mart\/track\/(.*)$/, replacement: join(trackDir, '$1', 'index.ts') },
        // A copy of the exercises outside the workspace (`--track DIR`) still finds the
        // shared package and the stages' given code it imports.
        { find: /^@mart\/shared$/, replacement: join(root, 'shared', 'src', 'index.ts') },
        {
          find: /^@mart\/stage-(\d\d-[a-z0-9-]+)\/given$/,
          replacement: join(root, 'stages', '$1', 'src', 'given', 'index.ts'),
        },
      ],
    },
    test: {
      include: ['**/*.test.ts'],
      exclude: ['**/node_modules/**'],
      // The graded files share nothing but read-only imports; one worker for all of them
      // halves `pnpm grade` (measured 5.0 s → 2.5 s for stage 1).
      isolate: false,
      // Show compared values in full: a learner must see the number their code returned.
      chaiConfig: { truncateThreshold: 0 },
    },
  });
}

import { join } from 'node:path';
import type { ViteUserConfig } from 'vitest/config';

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
      // 2-core CI machine, and no retries that could hide a flaky test.
      testTimeout: 60_000,
      hookTimeout: 60_000,
      ...(reportDir ? { reporters: ['default', 'json'], outputFile: { json: join(reportDir, `${name}.json`) } } : {}),
      ...extra.test,
    },
  };
}

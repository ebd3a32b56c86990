// Imported by path: vitest loads config files with plain Node, which cannot import a
// workspace package's TypeScript source through node_modules.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { gradedVitestConfig } from '../shared/src/testing/vitest-config.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

// `pnpm test` grades the reference solutions, which must always score 100%; `pnpm grade`
// passes the same settings with the learner's folder (see shared/src/course/run-graded-tests.ts).
export default defineConfig(gradedVitestConfig(root, join(root, 'solutions')));

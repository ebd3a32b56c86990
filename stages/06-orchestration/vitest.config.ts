// Imported by path: vitest loads config files with plain Node, which cannot import a
// workspace package's TypeScript source through node_modules.
import { defineConfig } from 'vitest/config';
import { martVitestConfig } from '../../shared/src/testing/vitest-config.ts';

export default defineConfig(martVitestConfig('stage-06'));

import { defineConfig } from 'vitest/config';
import { martVitestConfig } from './src/testing/vitest-config.ts';

export default defineConfig(martVitestConfig('shared'));

import { defineConfig } from 'vitest/config';

// `npx vitest` at the root runs every package's suite; `pnpm test` runs them through turbo.
export default defineConfig({
  test: { projects: ['shared', 'stages/*', 'tests'] },
});

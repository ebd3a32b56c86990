import type { Plugin } from 'vitest/config';
import { eraseTypes } from '../course/erase-types.mjs';
import { needsCompilingPrefix } from '../course/load-failure.ts';

/**
 * A vite plugin for the graded suites: an exercise (or solution) file under `trackDir` that
 * Node would refuse to run, because erasing its types is not enough (an enum, a namespace,
 * a constructor's parameter property), fails its import with Node's own message and place.
 *
 * Why: vitest compiles TypeScript with esbuild, which accepts an enum, but the stages run
 * the learner's pieces on Node, which only erases types (see typescript-loader.mjs). Without
 * this, `pnpm grade` would pass an exercise that `pnpm stage N build --mine` then refuses.
 * A file that does not parse is left to esbuild: its report says where already.
 *
 * @example
 * plugins: [stripOnlyPlugin(join(root, 'exercises'))]
 */
export function stripOnlyPlugin(trackDir: string): Plugin {
  const inside = `${trackDir.replaceAll('\\', '/')}/`;
  return {
    name: 'mart-strip-only',
    enforce: 'pre',
    transform(source, id) {
      const path = id.split('?')[0] ?? id;
      if (!path.endsWith('.ts') || !path.startsWith(inside)) return null;
      try {
        eraseTypes(source, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX') return null;
        // The stack starts with the place, `/path/file.ts:12` (see erase-types.mjs).
        const where = (error as Error).stack?.split('\n')[0] ?? path;
        throw new Error(`${needsCompilingPrefix} ${where}: ${(error as Error).message}`);
      }
      // Erasing worked: vite compiles the file as usual (with its source map).
      return null;
    },
  };
}

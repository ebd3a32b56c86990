import { join } from 'node:path';
import { repoRoot } from '../paths.ts';

/**
 * What follows `node` to run the course CLI the way the root package.json's scripts do
 * (`pnpm stage 4 build` without pnpm): the TypeScript loader (native type stripping, or
 * strip-types hooks on an older Node), any extra preloads, the entry, then `args`.
 *
 * @example
 * spawn(process.execPath, courseCommand(['stage', '4', 'build']), { cwd: repoRoot() })
 */
export function courseCommand(args: readonly string[], preloads: readonly string[] = []): string[] {
  const course = join(repoRoot(), 'shared', 'src', 'course');
  return [
    '--import',
    join(course, 'typescript-loader.mjs'),
    ...preloads.flatMap((preload) => ['--import', preload]),
    join(course, 'bin.ts'),
    ...args,
  ];
}

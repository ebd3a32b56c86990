import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../paths.ts';

/** What a CLI run produced. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real course CLI (`pnpm <args>` without pnpm in front) in a child process,
 * exactly as a learner's terminal would, and returns exit code and output.
 *
 * @example
 * const run = runCli(['stage', '9', 'build']);
 * expect(run.status).toBe(2);
 */
export function runCli(args: string[], env: Record<string, string> = {}): CliRun {
  const root = repoRoot();
  // The same command line as the root package.json scripts.
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'shared', 'src', 'course', 'bin.ts'), ...args],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', ...env },
      timeout: 120_000,
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

import { spawn, spawnSync } from 'node:child_process';
import { repoRoot } from '../paths.ts';
import { courseCommand } from './course-command.ts';

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
  const { command, commandArgs, options } = cliCommand(args, env);
  const result = spawnSync(command, commandArgs, { ...options, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * {@link runCli} without blocking this process: the event loop keeps running, so a
 * server started in the test (say, an embedded S3 server) can answer the child.
 *
 * @example
 * const run = await runCliAsync(['stage', '4', 'lake', 'ls'], { MART_S3_ENDPOINT: server.endpoint });
 */
export function runCliAsync(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const { command, commandArgs, options } = cliCommand(args, env);
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, options);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The same command line as the root package.json scripts. */
function cliCommand(args: string[], env: Record<string, string>) {
  return {
    command: process.execPath,
    commandArgs: courseCommand(args),
    options: { cwd: repoRoot(), env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 120_000 },
  };
}

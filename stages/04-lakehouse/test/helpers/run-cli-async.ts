import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@mart/shared';
import type { CliRun } from '@mart/shared/testing';

/**
 * runCli (from @mart/shared/testing) without blocking this process: the same command
 * line, environment and timeout, but the event loop keeps running, so an S3 server
 * started in the test (startEmbeddedS3) can answer the child's requests.
 *
 * @example
 * const run = await runCliAsync(['stage', '4', 'lake', 'ls'], { MART_S3_ENDPOINT: server.endpoint });
 */
export function runCliAsync(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const root = repoRoot();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'shared', 'src', 'course', 'bin.ts'), ...args],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1', ...env },
        timeout: 120_000,
      },
    );
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

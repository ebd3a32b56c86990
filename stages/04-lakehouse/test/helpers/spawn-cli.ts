import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@mart/shared';

/** A CLI process running in the background, with what it printed so far. */
export interface SpawnedCli {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /**
   * Resolves when `text` has been printed (stdout or stderr), as soon as the chunk holding
   * it arrives: an event, not a polling loop or a guessed delay. Rejects if the process
   * ends first, or after `timeoutMs`.
   */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the real course CLI (`pnpm <args>` without pnpm) as a child process we can send
 * signals to: the same command line as runCliAsync, but not awaited.
 *
 * @example
 * const build = spawnCli(['stage', '4', 'build'], env);
 * await build.waitFor('Committing');
 * build.child.kill('SIGINT');
 */
export function spawnCli(args: string[], env: Record<string, string>): SpawnedCli {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot(), 'shared', 'src', 'course', 'bin.ts'), ...args],
    {
      cwd: repoRoot(),
      env: { ...process.env, NO_COLOR: '1', ...env },
    },
  );
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    changed();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    changed();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      changed();
      resolve({ code, signal });
    });
  });
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(text, timeoutMs = 150_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (out.includes(text) || err.includes(text)) done(resolve);
          else if (ended || child.exitCode !== null) {
            done(() => reject(new Error(`The process ended before printing "${text}".\n${out}\n${err}`)));
          }
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`Timed out waiting for "${text}".\n${out}\n${err}`))),
          timeoutMs,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
  };
}

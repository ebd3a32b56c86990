import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { repoRoot } from '../paths.ts';
import { courseCommand } from './course-command.ts';

/** A CLI process running in the background, with what it printed so far. */
export interface SpawnedCli {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** stdout and stderr as they arrived, interleaved. */
  output(): string;
  /**
   * Resolves when `pattern` has been printed (stdout or stderr), as soon as the chunk
   * holding it arrives: an event, not a polling loop or a guessed delay. Rejects if the
   * process ends first, or after `timeoutMs`.
   */
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or the signal's name) once the process has ended and been reaped. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the real course CLI (`pnpm <args>` without pnpm) as a child process we can
 * signal and kill: the same command line as runCliAsync, not awaited.
 *
 * @example
 * const build = spawnCli(['stage', '4', 'build'], env);
 * await build.waitFor('Committing');
 * build.child.kill('SIGINT');
 */
export function spawnCli(args: string[], env: Record<string, string>): SpawnedCli {
  const child = spawn(process.execPath, courseCommand(args), {
    cwd: repoRoot(),
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  let out = '';
  let err = '';
  let text = '';
  let ended = false;
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of [...listeners]) listener();
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    text += chunk;
    changed();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    text += chunk;
    changed();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      ended = true;
      resolve({ code, signal });
      changed();
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    output: () => text,
    exited,
    waitFor(pattern, timeoutMs = 150_000) {
      const seen = () => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text));
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => finish(() => reject(new Error(`Timed out waiting for ${pattern}.\n${text}`))),
          timeoutMs,
        );
        const check = () => {
          if (seen()) finish(resolve);
          else if (ended) finish(() => reject(new Error(`The process ended before printing ${pattern}.\n${text}`)));
        };
        const finish = (settle: () => void) => {
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

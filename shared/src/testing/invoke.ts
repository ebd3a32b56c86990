import type { Command } from '../cli/command.ts';
import type { Io } from '../cli/io.ts';
import { runCommand } from '../course/run-command.ts';
import { MartPaths } from '../paths.ts';
import { captureIo } from './capture-io.ts';

/** Options for {@link invoke}. */
export interface InvokeOptions {
  /** Streams; default a fresh {@link captureIo}. */
  io?: Io;
  /** The data folder the command writes to (a temporary one in tests). */
  data?: string;
  /** Another course folder (exercises/, solutions/). Default the checkout. */
  root?: string;
  /** The stage the command belongs to, for a bare `--mine`. */
  stage?: number;
  /** Environment variables the command sees (S3 settings…); process.env is not read. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs one command in this process exactly as the CLI would (same parsing, defaults,
 * `--mine` scope), with its paths pointed at a test's folder.
 *
 * @example
 * const out = captureIo();
 * expect(await invoke(inspectCommand(1), ['--format', 'json'], { io: out.io, data: temp.path, stage: 1 })).toBe(0);
 */
export function invoke(command: Command, args: string[], options: InvokeOptions = {}): Promise<number> {
  const paths = new MartPaths({
    ...(options.root ? { root: options.root } : {}),
    ...(options.data ? { data: options.data } : {}),
  });
  return runCommand(command, 'test', args, {
    io: options.io ?? captureIo().io,
    paths,
    color: false,
    env: options.env ?? {},
    ...(options.stage === undefined ? {} : { stage: options.stage }),
  });
}

import type { Readable, Writable } from 'node:stream';

/**
 * Where a command reads keys and writes text. Commands never touch process.stdout
 * directly, so tests drive them with fake streams and assert on what was written.
 *
 * @example
 * const io: Io = { input: process.stdin, output: process.stdout };
 */
export interface Io {
  /** Keystrokes for interactive prompts. */
  input: Readable;
  /** Everything the command prints. */
  output: Writable;
  /**
   * Notes beside the output (whose pieces ran, warnings) that must not spoil
   * `--format json | jq`; errors go here too. Default: `output`.
   */
  error?: Writable;
}

/**
 * The real terminal.
 *
 * @example
 * await run(context, processIo());
 */
export function processIo(): Io {
  return { input: process.stdin, output: process.stdout, error: process.stderr };
}

/**
 * Writes one line to `io.output`: for machine-readable output (csv, json) that must
 * not carry clack's decorations.
 *
 * @example
 * writeLine(io, JSON.stringify(rows, null, 2));
 */
export function writeLine(io: Io, text: string): void {
  io.output.write(text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * Writes one line to `io.error` (or `io.output` when there is none): notes that are not
 * the command's result.
 *
 * @example
 * writeNote(io, 'Pieces: yours for stage 3 (exercises/03-quality/).');
 */
export function writeNote(io: Io, text: string): void {
  (io.error ?? io.output).write(text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * Should text written to `stream` be coloured? Only for a terminal, and never when the
 * NO_COLOR convention (https://no-color.org) asks for none.
 *
 * @example
 * const color = useColor(io.output, process.env);
 */
export function useColor(stream: Writable, env: NodeJS.ProcessEnv): boolean {
  return Boolean((stream as { isTTY?: boolean }).isTTY) && !env.NO_COLOR;
}

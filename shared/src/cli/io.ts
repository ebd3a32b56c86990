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
}

/**
 * The real terminal.
 *
 * @example
 * await run(context, processIo());
 */
export function processIo(): Io {
  return { input: process.stdin, output: process.stdout };
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

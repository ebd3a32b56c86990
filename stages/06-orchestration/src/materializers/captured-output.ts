import { Readable, Writable } from 'node:stream';
import type { Io } from '@mart/shared';

/** An Io that keeps what a command prints, for the step's log instead of the terminal. */
export interface CapturedOutput {
  io: Io;
  /** Everything written, without clack's bars and colours, one entry per non-empty line. */
  lines(): string[];
}

/**
 * Streams for running another stage's command inside a step: its output is kept (the
 * step logs it to the run storage) rather than mixed into the live progress lines.
 *
 * @example
 * const out = capturedOutput();
 * await build.run({ …, io: out.io });
 * out.lines() // → ['Reading bronze', …]
 */
export function capturedOutput(): CapturedOutput {
  let text = '';
  const output = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return {
    io: { input: Readable.from([]), output, error: output },
    lines: () =>
      text
        // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes
        .replace(/\u001b\[[0-9;]*m/g, '')
        .split('\n')
        .map((line) => line.replace(/^[│◇◆●▲■└┌┐|◒◐◓◑\s]+/u, '').trimEnd())
        .filter((line) => line !== ''),
  };
}

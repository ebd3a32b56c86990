import { PassThrough } from 'node:stream';
import type { Io } from '../cli/io.ts';

/** What {@link captureIo} returns. */
export interface CapturedIo {
  io: Io;
  /** Everything written to the output. */
  text(): string;
  /** Everything written to the error stream (notes, warnings). */
  notes(): string;
}

/**
 * Streams for a command under test: nothing to read, and everything written kept.
 *
 * @example
 * const out = captureIo();
 * await invoke(inspect, ['--format', 'json'], { io: out.io });
 * JSON.parse(out.text());
 */
export function captureIo(): CapturedIo {
  const output = new PassThrough();
  const error = new PassThrough();
  let text = '';
  let notes = '';
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  error.on('data', (chunk: Buffer) => {
    notes += chunk.toString('utf8');
  });
  return { io: { input: new PassThrough(), output, error }, text: () => text, notes: () => notes };
}

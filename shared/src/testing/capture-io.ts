import { PassThrough } from 'node:stream';
import type { Io } from '../cli/io.ts';

/**
 * Streams for a command under test: nothing to read, and everything written kept.
 *
 * @example
 * const out = captureIo();
 * await inspect.run({ options: { format: 'json' }, positionals: [], mine: false, io: out.io });
 * JSON.parse(out.text());
 */
export function captureIo(): { io: Io; text(): string } {
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { io: { input: new PassThrough(), output }, text: () => text };
}

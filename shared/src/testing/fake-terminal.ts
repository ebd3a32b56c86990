import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { stripVTControlCharacters } from 'node:util';
import type { Io } from '../cli/io.ts';

const keys = {
  up: '\x1b[A',
  down: '\x1b[B',
  left: '\x1b[D',
  right: '\x1b[C',
  enter: '\r',
  escape: '\x1b',
  backspace: '\x7f',
} as const;

/** A key name for {@link FakeTerminal.press}, or literal text to type. */
export type Key = keyof typeof keys | { text: string };

/** Streams standing in for a terminal, with helpers to type and read the screen. */
export interface FakeTerminal {
  io: Io;
  /** Everything written so far, without colours or cursor movements. */
  screen(): string;
  /** Waits until `text` appears on screen after position `from` (default: anywhere). */
  waitFor(text: string, options?: { from?: number; timeoutMs?: number }): Promise<void>;
  /** Sends keys one by one, each after the prompt has redrawn for the one before. */
  press(...sequence: Key[]): Promise<void>;
}

/**
 * Drives an interactive clack prompt from a test through injected input/output streams:
 * no real terminal, but the same prompt code the learner sees.
 *
 * @example
 * const term = fakeTerminal();
 * const done = explore.run({ options: {}, positionals: [], mine: false, io: term.io });
 * await term.waitFor('What would you like to see?');
 * await term.press('down', 'enter');
 */
export function fakeTerminal(): FakeTerminal {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => {
    written += chunk.toString('utf8');
  });
  const screen = () => stripVTControlCharacters(written);
  return {
    io: { input, output },
    screen,
    async waitFor(text, options = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 10_000);
      while (
        !screen()
          .slice(options.from ?? 0)
          .includes(text)
      ) {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for "${text}". Screen:\n${screen()}`);
        await sleep(10);
      }
    },
    async press(...sequence) {
      for (const key of sequence) {
        // Wait for the prompt's answer to each key (it redraws), not for a fixed time: on
        // a busy machine a redraw can take longer than any pause we would pick.
        const before = written.length;
        input.write(typeof key === 'string' ? keys[key] : key.text);
        const deadline = Date.now() + 10_000;
        while (written.length === before && Date.now() < deadline) await sleep(5);
      }
    },
  };
}

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent } from '../given/lineage-types.ts';

/**
 * Lineage events as JSON lines: `<dir>/<YYYY-MM-DD>.jsonl`, named after the event's
 * UTC date, one event per line. Each line is one `write` to a file opened for append
 * (O_APPEND), so lines from two runs writing at once never interleave, and a process
 * killed mid-run leaves only whole lines behind.
 *
 * @example
 * new FileLineageSink(join(paths.data, 'lineage')).write(event) // → …/lineage/2026-12-02.jsonl
 */
export class FileLineageSink {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }

  /** The file an event goes to. */
  fileFor(event: Pick<RunEvent, 'eventTime'>): string {
    const time = new Date(event.eventTime);
    const day = Number.isNaN(time.getTime()) ? new Date().toISOString() : time.toISOString();
    return join(this.dir, `${day.slice(0, 10)}.jsonl`);
  }

  /** Appends the event; returns the file. */
  write(event: RunEvent): string {
    const file = this.fileFor(event);
    appendLine(file, JSON.stringify(event));
    return file;
  }
}

/** One line, appended with a single write (looping only if the OS writes part of it). */
export function appendLine(file: string, line: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  const bytes = Buffer.from(`${line.replaceAll('\n', ' ')}\n`, 'utf8');
  const fd = openSync(file, 'a');
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
  } finally {
    closeSync(fd);
  }
}

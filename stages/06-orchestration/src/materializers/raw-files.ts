import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { rawFiles } from '../assets/course-layout.ts';

/** One raw file as observed: external assets are looked at, never built. */
export interface RawFileObservation {
  name: string;
  path: string;
  exists: boolean;
  bytes: number | undefined;
  /** Last modified, ISO. */
  modifiedAt: string | undefined;
}

/**
 * Looks at stage 2's input files in `dir` (the raw assets): whether each is there, its
 * size and when it last changed. This is what "observing an external asset" is here.
 *
 * @example
 * observeRawFiles(paths.seeds(2)).map((file) => file.name) // → ['customers', 'products', 'stores', 'sales']
 */
export function observeRawFiles(dir: string): RawFileObservation[] {
  return rawFiles.map((name) => {
    const path = join(dir, `${name}.csv`);
    if (!existsSync(path)) return { name, path, exists: false, bytes: undefined, modifiedAt: undefined };
    const stat = statSync(path);
    return { name, path, exists: true, bytes: stat.size, modifiedAt: stat.mtime.toISOString() };
  });
}

/**
 * A fingerprint of the raw files' contents (sha256 over each file's name and bytes): the
 * same files give the same fingerprint wherever they are. Missing files count as empty.
 *
 * @example
 * rawFingerprint(paths.seeds(2)) // → '3f9a…' (64 hex digits)
 */
export function rawFingerprint(dir: string): string {
  const hash = createHash('sha256');
  for (const name of rawFiles) {
    const path = join(dir, `${name}.csv`);
    hash.update(`${name}\0`);
    if (existsSync(path)) hash.update(readFileSync(path));
    hash.update('\0');
  }
  return hash.digest('hex');
}

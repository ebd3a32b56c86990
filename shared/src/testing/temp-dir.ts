import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh temporary folder, and a function that deletes it.
 *
 * @example
 * const temp = tempDir('stage-01');
 * try { … } finally { temp.remove(); }
 */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `mart-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

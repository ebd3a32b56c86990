import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toCsv } from '@mart/shared';
import type { RejectedRow } from './load/collect-rejects.ts';

/**
 * Writes `<dir>/<file>.csv` (line, rule, reason, record) for every file with rejects,
 * after a successful build (stage 2's, or a later stage reusing the loader; `dir` is
 * `paths.output('rejects', stage)`). The folder is emptied first, so it always matches
 * the warehouse: a file without rejects has no reject file.
 */
export function writeRejectFiles(rejects: readonly RejectedRow[], dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = [...new Set(rejects.map((reject) => reject.file))];
  for (const file of files) {
    const rows = rejects
      .filter((reject) => reject.file === file)
      .map(({ line, rule, reason, record }) => ({ line, rule, reason, record }));
    writeFileSync(join(dir, file), toCsv(rows, ['line', 'rule', 'reason', 'record']));
  }
  return dir;
}

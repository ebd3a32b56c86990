import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stageOutputDir, toCsv } from '@mart/shared';
import type { RejectedRow } from './load/collect-rejects.ts';

/**
 * Writes data/rejects/stage-NN/<file>.csv (line, rule, reason, record) for every file
 * with rejects, after a successful build (stage 2's, or a later stage reusing the loader). The folder is emptied first, so it always
 * matches the warehouse: a file without rejects has no reject file.
 */
export function writeRejectFiles(rejects: readonly RejectedRow[], stage = 2): string {
  const dir = stageOutputDir('rejects', stage);
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

import { CliError, UsageError } from '@mart/shared';
import type { FileReconciliation } from '../given/index.ts';
import type { RejectedRow } from './collect-rejects.ts';

/** Default for `--max-reject-rate`: above 10% rejected, a file is more likely wrong than dirty. */
export const defaultMaxRejectRate = 0.1;

/**
 * A few bad rows are normal; a file where a large share is rejected usually means a
 * wrong export, a shifted column or the wrong file altogether. Loading the rest would
 * publish a mart that looks fine and is not, so the build stops instead.
 */
export function checkRejectRates(
  files: readonly FileReconciliation[],
  rejects: readonly RejectedRow[],
  maxRate: number,
): void {
  for (const file of files) {
    if (file.read === 0 || file.rejected / file.read <= maxRate) continue;
    const mine = rejects.filter((reject) => reject.file === file.file);
    const byRule = new Map<string, number>();
    for (const reject of mine) byRule.set(reject.rule, (byRule.get(reject.rule) ?? 0) + 1);
    const examples = mine.slice(0, 3).map((reject) => `  line ${reject.line}: ${reject.reason}`);
    throw new CliError(
      `${file.file}: ${file.rejected} of ${file.read} records rejected (${percent(file.rejected / file.read)}), ` +
        `above the limit of ${percent(maxRate)}. By rule: ${[...byRule].map(([rule, n]) => `${rule} ${n}`).join(', ')}.\n` +
        `${examples.join('\n')}`,
      {
        hint: `Fix the file, or allow more with --max-reject-rate ${Math.min(1, Math.ceil((file.rejected / file.read) * 100) / 100)}.`,
      },
    );
  }
}

/** 0.1234 → "12.3%" */
export function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** Every file must balance: read = loaded + rejected. If not, a row was lost: never publish that. */
export function assertBalanced(files: readonly FileReconciliation[], expected: readonly string[]): void {
  const missing = expected.filter((name) => !files.some((file) => file.file === name));
  if (missing.length > 0)
    throw new CliError(`Reconciliation is missing ${missing.join(', ')}; the warehouse was not replaced.`);
  for (const file of files) {
    if (file.balanced && file.read === file.loaded + file.rejected) continue;
    throw new CliError(
      `${file.file} does not reconcile: read ${file.read}, loaded ${file.loaded}, rejected ${file.rejected}. ` +
        'A row was lost or counted twice; the warehouse was not replaced.',
    );
  }
}

/** "0.1", "10%" → 0.1 */
export function parseRate(raw: string): number {
  const value = raw.endsWith('%') ? Number(raw.slice(0, -1)) / 100 : Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageError(`--max-reject-rate must be between 0 and 1 (or 0% and 100%), not "${raw}".`);
  }
  return value;
}

import { renderTable } from '@mart/shared';
import { percent } from './load/check-reject-rates.ts';
import type { RejectedRow } from './load/collect-rejects.ts';
import type { LoadResult } from './load/load-csv-warehouse.ts';

/** Per file: read = loaded + rejected, the reject rate, and whether it balances; then rows per table. */
export function reconciliationTable(result: LoadResult, color = false): string {
  const files = renderTable(
    result.files.map((file) => ({
      file: file.file,
      read: file.read,
      loaded: file.loaded,
      rejected: file.rejected,
      'reject rate': file.read === 0 ? '0.0%' : percent(file.rejected / file.read),
      balanced: file.balanced ? 'yes' : 'NO',
    })),
    { color },
  );
  const tables = renderTable(
    Object.entries(result.counts).map(([table, rows]) => ({ table, rows })),
    { color },
  );
  return `Reconciliation (read = loaded + rejected):\n${files}\n${tables}`;
}

/** How many records were rejected, where they are kept, and the first few reasons. */
export function rejectsSummary(rejects: readonly RejectedRow[], rejectsDir: string): string {
  const examples = rejects.slice(0, 5).map((reject) => `  ${reject.file} line ${reject.line}: ${reject.reason}`);
  return `${rejects.length} ${rejects.length === 1 ? 'record' : 'records'} rejected, kept with their reasons in the rejected_rows table and ${rejectsDir}/:\n${examples.join('\n')}${rejects.length > 5 ? '\n  …' : ''}`;
}

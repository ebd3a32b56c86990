/**
 * The values of `column` in the rows a check's failingRows selected, in ascending order,
 * so a test names the offending rows without depending on the order they come back in.
 * No rows (or no failingRows at all) gives [].
 *
 * @example
 * expect(keysOf(failingRows, 'customer_key')).toEqual([2, 5, 7]);
 */
export function keysOf(rows: ReadonlyArray<Record<string, unknown>> | undefined, column: string): unknown[] {
  return (rows ?? []).map((row) => row[column]).sort(ascending);
}

function ascending(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

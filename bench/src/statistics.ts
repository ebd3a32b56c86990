/**
 * The middle value (the mean of the two middle ones for an even count): one slow run,
 * say a cold disk cache, does not move it the way it moves a mean.
 *
 * @example
 * median([3, 1, 2]) // → 2
 */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  if (sorted.length % 2 === 1) return sorted[middle] ?? Number.NaN;
  return ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

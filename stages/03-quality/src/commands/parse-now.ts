import { UsageError } from '@mart/shared';

/** `--now 2024-12-31` or `--now 2024-12-31T08:00:00Z` → a Date; absent → undefined. */
export function parseNow(raw: string | boolean | undefined): Date | undefined {
  if (raw === undefined || typeof raw === 'boolean') return undefined;
  const now = new Date(raw);
  if (Number.isNaN(now.getTime())) {
    throw new UsageError(`--now must be a date or timestamp such as 2024-12-31 or 2024-12-31T08:00:00Z, not "${raw}".`);
  }
  return now;
}

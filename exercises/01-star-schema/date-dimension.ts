import { NotImplementedError } from '@mart/shared';
import type { DateRow } from '@mart/stage-01-star-schema/given';

/**
 * Exercise: The date dimension.
 *
 * Analysts ask "revenue by quarter" or "weekend vs weekday". Instead of computing those
 * from a date in every query, the warehouse keeps one row per calendar day with the
 * attributes already worked out, and facts point at it with a date_key.
 *
 * Return one DateRow per day from `first` to `last` ('YYYY-MM-DD', both included), in
 * order. Throw an Error if either date is not a real date or `last` is before `first`.
 *
 * Work in UTC (Date.UTC, getUTCDay…): local time zones shift midnight and skip days.
 */
export function buildDateDimension(first: string, last: string): DateRow[] {
  throw new NotImplementedError('01-star-schema/date-dimension');
}

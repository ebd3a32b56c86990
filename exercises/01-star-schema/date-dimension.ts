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
 *
 * API: plain TypeScript, no database. `Date.UTC(2024, 2, 15)` is 2024-03-15 at midnight
 * UTC in milliseconds (months count from 0); `new Date(ms).getUTCDay()` is 0 for Sunday
 * … 6 for Saturday; `toISOString().slice(0, 10)` gives 'YYYY-MM-DD'. Neither fails on a
 * day that does not exist: `new Date('2024-02-30')` and `Date.UTC(2024, 1, 30)` are both
 * 2024-03-01, so check that the day you built is the day you were given.
 *
 * The rows become the table dim_date (stage 1's build inserts them):
 *   date_key integer (yyyymmdd: 20240315), full_date date ('2024-03-15'), year smallint,
 *   quarter tinyint (1–4), month tinyint (1–12), month_name varchar ('March'),
 *   day_of_month tinyint (1–31), day_of_week tinyint (ISO: 1 = Monday … 7 = Sunday),
 *   day_name varchar ('Friday'), is_weekend boolean
 *
 * Careful with names:
 * - day_of_week is ISO (Sunday is 7); getUTCDay() says 0 for Sunday.
 * - `month` here is a number, 1–12; the 'YYYY-MM' month of revenue-by-month is another thing.
 */
export function buildDateDimension(first: string, last: string): DateRow[] {
  throw new NotImplementedError('01-star-schema/date-dimension');
}

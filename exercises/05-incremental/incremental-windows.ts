import { NotImplementedError } from '@mart/shared';
import type { BatchSize, EventWindow, IncrementalWindowOptions } from '@mart/stage-05-incremental/given';

/**
 * Exercise: The incremental filter, from a watermark with a lookback window.
 *
 * An incremental model processes only new data. For a model with an event time (the
 * day a sale happened), "new" is a window of event time: from where the last run
 * stopped (the watermark) up to now. Data arrives late (a sale of Monday reaches the
 * lake on Wednesday), so each run also re-processes a few batches before the watermark
 * (the lookback): those batches are rebuilt, late rows included.
 *
 * Return the consecutive batches `[start, end)` to process, each one `batchSize` wide,
 * oldest first, as UTC ISO timestamps without milliseconds (`2024-03-01T00:00:00Z`):
 * - `end` is rounded UP to a batch boundary (a run at 2024-03-05T10:00 processes all of
 *   March 5th with daily batches): the last batch ends there;
 * - without a watermark (first run, full refresh), the first batch starts at `begin`
 *   rounded DOWN to a boundary;
 * - with one, it starts `lookback` batches before the watermark (rounded down), but never
 *   before `begin`;
 * - no batches when the first start is not before the end.
 * Months are calendar months and years calendar years, all in UTC. Reject (throw an
 * Error) a negative or fractional lookback, or a time that does not parse.
 *
 * The runner turns each window into `where event_time >= start and event_time < end` on
 * the model and on every upstream model with an event_time (dbt's microbatch).
 *
 * @example
 * incrementalWindows({ begin: '2024-01-01', end: '2024-03-06', watermark: '2024-03-05',
 *   lookback: 2, batchSize: 'day' })
 * // → [{ start: '2024-03-03T00:00:00Z', end: '2024-03-04T00:00:00Z' },
 * //    { start: '2024-03-04T00:00:00Z', end: '2024-03-05T00:00:00Z' },
 * //    { start: '2024-03-05T00:00:00Z', end: '2024-03-06T00:00:00Z' }]
 */
export function incrementalWindows(options: IncrementalWindowOptions): EventWindow[] {
  throw new NotImplementedError('05-incremental/incremental-windows');
}

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
  // #region solution
  const { lookback, batchSize } = options;
  if (!Number.isInteger(lookback) || lookback < 0)
    throw new Error(`lookback must be a whole number ≥ 0, not ${lookback}.`);
  const begin = floor(parse(options.begin, 'begin'), batchSize);
  const end = ceil(parse(options.end, 'end'), batchSize);
  let start = begin;
  if (options.watermark !== null) {
    const fromWatermark = step(floor(parse(options.watermark, 'watermark'), batchSize), batchSize, -lookback);
    start = fromWatermark > begin ? fromWatermark : begin;
  }
  const windows: EventWindow[] = [];
  for (let at = start; at < end; at = step(at, batchSize, 1)) {
    windows.push({ start: iso(at), end: iso(step(at, batchSize, 1)) });
  }
  return windows;
  // #endregion
}

// #region solution-only
function parse(text: string, name: string): Date {
  const time = new Date(/^\d{4}-\d\d-\d\d$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(time.getTime())) throw new Error(`${name} "${text}" is not a date or timestamp.`);
  return time;
}

/** The boundary at or before `time`. */
function floor(time: Date, size: BatchSize): Date {
  const y = time.getUTCFullYear();
  const m = time.getUTCMonth();
  if (size === 'year') return new Date(Date.UTC(y, 0, 1));
  if (size === 'month') return new Date(Date.UTC(y, m, 1));
  if (size === 'day') return new Date(Date.UTC(y, m, time.getUTCDate()));
  return new Date(Date.UTC(y, m, time.getUTCDate(), time.getUTCHours()));
}

/** The boundary at or after `time`. */
function ceil(time: Date, size: BatchSize): Date {
  const down = floor(time, size);
  return down.getTime() === time.getTime() ? down : step(down, size, 1);
}

/** `count` batches later (or earlier, when negative), from a boundary. */
function step(time: Date, size: BatchSize, count: number): Date {
  const next = new Date(time);
  if (size === 'year') next.setUTCFullYear(next.getUTCFullYear() + count);
  else if (size === 'month') next.setUTCMonth(next.getUTCMonth() + count);
  else if (size === 'day') next.setUTCDate(next.getUTCDate() + count);
  else next.setUTCHours(next.getUTCHours() + count);
  return next;
}

function iso(time: Date): string {
  return `${time.toISOString().slice(0, 19)}Z`;
}
// #endregion

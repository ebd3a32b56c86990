import { countOf } from '@mart/shared';
import type { TransferCounts } from './cached-lake-files.ts';
import type { TableFileCounts } from './ducklake/read/table-query.ts';

/**
 * Bytes for people: `812 bytes`, `14.2 KiB`, `23.9 MiB`.
 *
 * @example
 * formatBytes(25_070_000) // → '23.9 MiB'
 */
export function formatBytes(bytes: number): string {
  if (bytes < 10 * 1024) return countOf(bytes, 'byte');
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** `12 %` (a share of a whole; `–` when the whole is 0). */
function share(part: number, whole: number): string {
  if (whole === 0) return '–';
  const percent = (100 * part) / whole;
  return `${percent < 10 && percent > 0 ? percent.toFixed(1) : Math.round(percent)} %`;
}

/**
 * What a query read: files pruned, and the bytes fetched against those in the visible files.
 *
 * @example
 * describeQueryReads({ visible: 12, pruned: 11, visibleBytes: 25e6 }, { files: 1, bytes: 4e5 })
 * // → '1 of 12 data files read (11 pruned by their min/max); 390.6 KiB fetched of the 23.8 MiB in the visible files (1.6 %), the rest from the cache'
 */
export function describeQueryReads(files: TableFileCounts, downloaded: TransferCounts): string {
  const read = `${files.visible - files.pruned} of ${countOf(files.visible, 'data file')} read (${files.pruned} pruned by their min/max)`;
  const fetched =
    downloaded.bytes === 0
      ? `nothing fetched of the ${formatBytes(files.visibleBytes)} in the visible files: all from the cache`
      : `${formatBytes(downloaded.bytes)} fetched of the ${formatBytes(files.visibleBytes)} in the visible files (${share(downloaded.bytes, files.visibleBytes)}), the rest from the cache`;
  return `${read}; ${fetched}`;
}

/**
 * What a build read: the bytes fetched against those in the files it read (bronze and
 * the lake's current tables, read whole: nothing is pruned).
 *
 * @example
 * describeBuildReads({ files: 1, bytes: 4e5 }, { files: 140, bytes: 5e5 })
 * // → '390.6 KiB fetched of the 488.3 KiB in the 140 files read (80 %), the rest from the cache; 0 files pruned (a build reads whole tables)'
 */
export function describeBuildReads(downloaded: TransferCounts, read: TransferCounts): string {
  const fetched =
    downloaded.bytes === 0
      ? `nothing fetched for the ${countOf(read.files, 'file')} read (${formatBytes(read.bytes)}): all from the cache`
      : `${formatBytes(downloaded.bytes)} fetched of the ${formatBytes(read.bytes)} in the ${countOf(read.files, 'file')} read (${share(downloaded.bytes, read.bytes)}), the rest from the cache`;
  return `${fetched}; 0 files pruned (a build reads whole tables)`;
}

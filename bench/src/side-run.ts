/** What one child process reports about its side's run, as one JSON line on stdout. */
export interface SideRun {
  /** Wall time of the work alone, in milliseconds: start-up and imports excluded. */
  ms: number;
  /** Peak resident memory of the whole process, in KiB (`process.resourceUsage().maxRSS`). */
  maxRssKib: number;
  /** Resident memory just before the work started, in KiB: Node, tsx and the side's imports. */
  rssBeforeKib: number;
  /** Bytes the work moved to or from storage, when the side reports it (see `WorkReport`). */
  bytesMoved?: number;
  /** Bytes in the files the read could have fetched, when the side reports it (see `WorkReport`). */
  bytesInFiles?: number;
  /** Units of work done, when the side reports them (see `WorkReport`). */
  steps?: number;
  /** Peak RSS of the largest process the work started, when it started any (already in `maxRssKib`). */
  childMaxRssKib?: number;
}

/** Reads a {@link SideRun} from a child's stdout: the last line, so stray output before it is tolerated. */
export function parseSideRun(stdout: string): SideRun {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  const parsed: unknown = JSON.parse(last);
  if (!isSideRun(parsed)) throw new Error(`Unexpected output from the benchmark child: ${last}`);
  return parsed;
}

function isSideRun(value: unknown): value is SideRun {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    ['ms', 'maxRssKib', 'rssBeforeKib'].every((key) => typeof record[key] === 'number') &&
    ['bytesMoved', 'bytesInFiles', 'steps', 'childMaxRssKib'].every(
      (key) => record[key] === undefined || typeof record[key] === 'number',
    )
  );
}

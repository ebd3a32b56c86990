import { CliError, type Database, quoteQualified } from '@mart/shared';

/** One row of `ducklake_snapshot`: a committed version of the whole lake. */
export interface SnapshotInfo {
  id: number;
  /** Commit time in UTC with microseconds, e.g. `2026-11-22T07:29:01.208767Z`. */
  time: string;
  /** Bumped by every schema change (spec: `ducklake_snapshot.schema_version`). */
  schemaVersion: number;
}

/** Which snapshot to read: the newest, a snapshot id, or the lake as it was at a moment. */
export type SnapshotSelector = 'latest' | { id: number } | { at: Date | string };

/**
 * Finds the snapshot a read should use (spec "Queries": get current snapshot; the
 * extension's `AT (VERSION => n)` and `AT (TIMESTAMP => t)`):
 * - `'latest'`: the highest snapshot id;
 * - `{ id }`: that snapshot, or an error that gives the valid range;
 * - `{ at }`: the latest snapshot committed at or before that moment, or an error if
 *   the moment is before the first snapshot. A string is any timestamp DuckDB parses;
 *   one without a zone is read in the session's TimeZone (a lake session uses UTC).
 *
 * @example
 * const snapshot = await resolveSnapshot(db, '__lake', { at: '2026-11-22T07:29:01.300Z' });
 */
export async function resolveSnapshot(db: Database, alias: string, selector: SnapshotSelector): Promise<SnapshotInfo> {
  const snapshots = quoteQualified(alias, 'ducklake_snapshot');
  const columns = `snapshot_id as id,
    strftime(timezone('UTC', snapshot_time), '%Y-%m-%dT%H:%M:%S.%fZ') as time,
    schema_version as "schemaVersion"`;
  if (selector === 'latest') {
    const [latest] = await db.all<SnapshotInfo>(
      `select ${columns} from ${snapshots} order by snapshot_id desc limit 1`,
    );
    if (!latest) throw new CliError('The lake catalog has no snapshots.');
    return latest;
  }
  if ('id' in selector) {
    const [found] = await db.all<SnapshotInfo>(`select ${columns} from ${snapshots} where snapshot_id = $1`, [
      selector.id,
    ]);
    if (found) return found;
    const range = await snapshotRange(db, snapshots);
    throw new CliError(`There is no snapshot ${selector.id} in this lake.`, { hint: `Snapshots: ${range}.` });
  }
  const at = selector.at instanceof Date ? selector.at.toISOString() : selector.at;
  const [found] = await db.all<SnapshotInfo>(
    `select ${columns} from ${snapshots} where snapshot_time <= $1::timestamptz order by snapshot_id desc limit 1`,
    [at],
  );
  if (found) return found;
  const [first] = await db.all<SnapshotInfo>(`select ${columns} from ${snapshots} order by snapshot_id limit 1`);
  throw new CliError(`The lake has no snapshot at or before ${at}.`, {
    hint: first ? `Its first snapshot (${first.id}) was committed at ${first.time}.` : 'The lake has no snapshots.',
  });
}

/** `0–18`, or `none` for an empty catalog. */
async function snapshotRange(db: Database, snapshots: string): Promise<string> {
  const [range] = await db.all<{ first: number | null; last: number | null }>(
    `select min(snapshot_id) as first, max(snapshot_id) as last from ${snapshots}`,
  );
  if (range?.first == null || range.last == null) return 'none';
  return range.first === range.last ? `${range.first}` : `${range.first}–${range.last}`;
}

import type { Database } from '@mart/shared';
import { quoteQualified } from '@mart/shared';
import type { SnapshotInfo } from './resolve-snapshot.ts';

/** One entry of `changes_made`: `inserted_into_table:1` → `{ kind: 'inserted_into_table', target: '1' }`. */
export interface SnapshotChange {
  kind: string;
  /** A table/schema id, or a quoted name such as `"main"."sales"`, exactly as stored. */
  target: string;
}

/** A snapshot with what it changed, for a `snapshots` listing. */
export interface SnapshotEntry extends SnapshotInfo {
  /** `ducklake_snapshot_changes.changes_made` as stored (empty if the row is missing). */
  changesMade: string;
  changes: SnapshotChange[];
  author: string | null;
  commitMessage: string | null;
}

/**
 * Every snapshot of the lake, oldest first, with its time, schema version and changes
 * (spec: `ducklake_snapshot`, `ducklake_snapshot_changes`).
 *
 * @example
 * const snapshots = await listSnapshots(db, '__lake');
 * snapshots[2]?.changes // → [{ kind: 'inserted_into_table', target: '1' }]
 */
export async function listSnapshots(db: Database, alias: string): Promise<SnapshotEntry[]> {
  const rows = await db.all<Omit<SnapshotEntry, 'changes'>>(
    `select s.snapshot_id as id,
            strftime(timezone('UTC', s.snapshot_time), '%Y-%m-%dT%H:%M:%S.%fZ') as time,
            s.schema_version as "schemaVersion",
            coalesce(c.changes_made, '') as "changesMade",
            c.author as author,
            c.commit_message as "commitMessage"
     from ${quoteQualified(alias, 'ducklake_snapshot')} s
     left join ${quoteQualified(alias, 'ducklake_snapshot_changes')} c using (snapshot_id)
     order by s.snapshot_id`,
  );
  return rows.map((row) => ({ ...row, changes: parseChanges(row.changesMade) }));
}

/**
 * Splits `changes_made` into its entries. Names are written SQL-quoted, so a comma or
 * colon inside `"…"` belongs to the name, not the list.
 *
 * @example
 * parseChanges('created_table:"main"."a,b",inlined_insert:1')
 * // → [{ kind: 'created_table', target: '"main"."a,b"' }, { kind: 'inlined_insert', target: '1' }]
 */
export function parseChanges(changesMade: string): SnapshotChange[] {
  const entries: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of changesMade) {
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      entries.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (current !== '') entries.push(current);
  return entries.map((entry) => {
    const colon = entry.indexOf(':');
    return colon < 0 ? { kind: entry, target: '' } : { kind: entry.slice(0, colon), target: entry.slice(colon + 1) };
  });
}

import type { SnapshotWriter } from '../../given/index.ts';
import { catalogAlias, type LakeSession } from '../lake-session.ts';

export type { SnapshotWriter };

/** Two writers committed on top of the same snapshot; the later one lost. */
export class CommitConflictError extends Error {
  constructor(snapshotId: number, cause: unknown) {
    super(`Another writer committed snapshot ${snapshotId} first.`, { cause });
    this.name = 'CommitConflictError';
  }
}

/**
 * Commits one snapshot atomically. `work` uploads its files and writes catalog rows
 * inside one catalog transaction; the snapshot row is written last. If anything fails,
 * the transaction rolls back (no catalog change is visible) and the files this commit
 * uploaded are deleted. Readers see either the whole snapshot or none of it.
 *
 * Writers race optimistically: both read snapshot N and try to add N+1; the catalog's
 * primary key lets exactly one win. The loser gets a CommitConflictError, or with
 * `retries` runs `work` again on top of the winner's snapshot.
 *
 * @example
 * const { snapshotId } = await commitSnapshot(session, async (tx) => insertInto(tx, table, rows));
 */
export async function commitSnapshot<T>(
  session: LakeSession,
  work: (tx: SnapshotWriter) => Promise<T>,
  options: { message?: string; author?: string; retries?: number } = {},
): Promise<{ snapshotId: number; result: T }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await commitOnce(session, work, options);
    } catch (error) {
      if (!(error instanceof CommitConflictError) || attempt >= (options.retries ?? 0)) throw error;
    }
  }
}

async function commitOnce<T>(
  session: LakeSession,
  work: (tx: SnapshotWriter) => Promise<T>,
  options: { message?: string; author?: string },
): Promise<{ snapshotId: number; result: T }> {
  const { db } = session;
  const undo: (() => Promise<void>)[] = [];
  await db.run('begin transaction');
  let snapshotId = -1;
  try {
    const [latest] = await db.all<{
      snapshot_id: number;
      schema_version: number;
      next_catalog_id: number;
      next_file_id: number;
    }>(
      `select snapshot_id, schema_version, next_catalog_id, next_file_id
         from ${catalogAlias}.ducklake_snapshot order by snapshot_id desc limit 1`,
    );
    if (!latest) throw new Error('The catalog has no snapshot 0: is it a DuckLake catalog?');
    snapshotId = latest.snapshot_id + 1;
    let nextCatalogId = latest.next_catalog_id;
    let nextFileId = latest.next_file_id;
    const changes: string[] = [];
    const schemaTables = new Set<number | null>();
    const writer: SnapshotWriter = {
      db,
      catalog: catalogAlias,
      snapshotId,
      nextCatalogId: () => nextCatalogId++,
      nextFileId: () => nextFileId++,
      changed: (change) => {
        if (!changes.includes(change)) changes.push(change);
      },
      schemaChanged: (tableId) => schemaTables.add(tableId),
      onRollback: (step) => undo.push(step),
    };
    const result = await work(writer);
    if (changes.length === 0) throw new Error('Nothing to commit: the operation changed nothing.');

    const schemaVersion = latest.schema_version + (schemaTables.size > 0 ? 1 : 0);
    for (const tableId of schemaTables) {
      if (tableId === null) continue;
      await db.run(`insert into ${catalogAlias}.ducklake_schema_versions values ($1, $2, $3)`, [
        snapshotId,
        schemaVersion,
        tableId,
      ]);
    }
    try {
      // The time the snapshot becomes visible, taken now: DuckDB's now() would be the
      // transaction's start, before the uploads, and --as-of would see it too early.
      await db.run(`insert into ${catalogAlias}.ducklake_snapshot values ($1, $2::timestamptz, $3, $4, $5)`, [
        snapshotId,
        new Date().toISOString(),
        schemaVersion,
        nextCatalogId,
        nextFileId,
      ]);
      await db.run(`insert into ${catalogAlias}.ducklake_snapshot_changes values ($1, $2, $3, $4, null)`, [
        snapshotId,
        changes.join(','),
        options.author ?? null,
        options.message ?? null,
      ]);
      await db.run('commit');
    } catch (error) {
      // Only here can a lost race show up: another writer took this snapshot id.
      throw isConflict(error) ? new CommitConflictError(snapshotId, error) : error;
    }
    return { snapshotId, result };
  } catch (error) {
    await db.run('rollback').catch(() => {});
    for (const step of undo.reverse()) await step().catch(() => {});
    throw error;
  }
}

/** DuckDB reports a lost race as a primary-key violation or a write-write conflict. */
function isConflict(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /duplicate key|conflict/i.test(message);
}

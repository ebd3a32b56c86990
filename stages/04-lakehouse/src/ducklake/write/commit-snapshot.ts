import { countOf } from '@mart/shared';
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

/** What a failed commit undid, and what it could not undo. */
export interface CommitCleanup {
  /** False when rolling back the catalog transaction itself failed (see `problems`). */
  rolledBack: boolean;
  /** Objects the commit had uploaded and deleted again. */
  deleted: string[];
  /** Objects the commit had uploaded and could not delete: nothing refers to them, `lake gc` removes them. */
  leftBehind: string[];
  /** What went wrong while cleaning up, one line each. */
  problems: string[];
}

/** Options for {@link commitSnapshot}. */
export interface CommitOptions {
  /** ducklake_snapshot_changes.commit_message. */
  message?: string;
  /** ducklake_snapshot_changes.author. */
  author?: string;
  /** How often to run `work` again after losing a race to another writer. Default 0. */
  retries?: number;
  /** Aborted (Ctrl-C): the commit stops before writing its snapshot row, and is undone. */
  signal?: AbortSignal;
  /** Runs after `work`, just before the snapshot row is written (a test hook: see test-pause.ts). */
  beforeCommit?: () => Promise<void>;
  /**
   * Told what a failed commit cleaned up. Without it, a cleanup that left something
   * behind is written to stderr: never silently.
   */
  onCleanup?: (cleanup: CommitCleanup) => void;
}

/**
 * What a cleanup left for the user to know, or undefined when it undid everything.
 *
 * @example
 * describeCleanup({ rolledBack: true, deleted: [], leftBehind: ['lake/x.parquet'], problems: ['…'] })
 * // → 'The failed commit left behind 1 uploaded object nothing refers to: lake/x.parquet. pnpm stage 4 lake gc removes it.\n…'
 */
export function describeCleanup(cleanup: CommitCleanup, what: 'commit' | 'ingest' = 'commit'): string | undefined {
  if (cleanup.rolledBack && cleanup.leftBehind.length === 0 && cleanup.problems.length === 0) return undefined;
  const lines: string[] = [];
  if (!cleanup.rolledBack) {
    lines.push(`The failed ${what} could not roll back its catalog transaction (see below).`);
  }
  const left = cleanup.leftBehind.length;
  if (left > 0) {
    lines.push(
      `The failed ${what} left behind ${countOf(left, 'uploaded object')} nothing refers to: ${cleanup.leftBehind.join(', ')}. pnpm stage 4 lake gc removes ${left === 1 ? 'it' : 'them'}.`,
    );
  }
  lines.push(...cleanup.problems);
  return lines.join('\n');
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
 * A failed commit reports its cleanup (`onCleanup`, else stderr when something is left
 * behind) and then throws the error that made it fail, never a cleanup error.
 *
 * @example
 * const { snapshotId } = await commitSnapshot(session, async (tx) => insertInto(tx, table, rows));
 */
export async function commitSnapshot<T>(
  session: LakeSession,
  work: (tx: SnapshotWriter) => Promise<T>,
  options: CommitOptions = {},
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
  options: CommitOptions,
): Promise<{ snapshotId: number; result: T }> {
  const { db } = session;
  const undo: UndoStep[] = [];
  options.signal?.throwIfAborted();
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
      onRollback: (step, undoOptions) => undo.push({ step, keys: [...(undoOptions?.keys ?? [])] }),
    };
    const result = await work(writer);
    if (changes.length === 0) throw new Error('Nothing to commit: the operation changed nothing.');
    // Ctrl-C during the uploads: stop here, before anything becomes visible.
    options.signal?.throwIfAborted();
    await options.beforeCommit?.();
    options.signal?.throwIfAborted();

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
    const cleanup = await undoCommit(session, undo);
    report(cleanup, options.onCleanup);
    throw error;
  }
}

/** One thing to undo after a failed commit, and the objects it deletes. */
interface UndoStep {
  step: () => Promise<void>;
  keys: string[];
}

/** Rolls the catalog transaction back, then deletes the uploads, newest first; never throws. */
async function undoCommit(session: LakeSession, undo: readonly UndoStep[]): Promise<CommitCleanup> {
  const cleanup: CommitCleanup = { rolledBack: true, deleted: [], leftBehind: [], problems: [] };
  try {
    await session.db.run('rollback');
  } catch (error) {
    cleanup.rolledBack = false;
    cleanup.problems.push(`Rolling back the catalog transaction failed: ${messageOf(error)}`);
  }
  for (const { step, keys } of [...undo].reverse()) {
    try {
      await step();
      cleanup.deleted.push(...keys);
    } catch (error) {
      cleanup.leftBehind.push(...keys);
      cleanup.problems.push(`Deleting ${keys.join(', ') || 'an upload'} failed: ${messageOf(error)}`);
    }
  }
  // In upload order, as a reader of the message expects.
  cleanup.deleted.reverse();
  cleanup.leftBehind.reverse();
  return cleanup;
}

/** Hands the cleanup to the caller; a problem nobody asked about still goes to stderr. */
function report(cleanup: CommitCleanup, onCleanup: CommitOptions['onCleanup']): void {
  try {
    if (onCleanup) {
      onCleanup(cleanup);
      return;
    }
  } catch {
    // The caller's reporter failed: fall through, the user must still hear about it.
  }
  const text = describeCleanup(cleanup);
  if (text) process.stderr.write(`${text}\n`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** DuckDB reports a lost race as a primary-key violation or a write-write conflict. */
function isConflict(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /duplicate key|conflict/i.test(message);
}

import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MartPaths } from '@mart/shared';
import Sqlite from 'better-sqlite3';
import { AssetLockedError } from './errors.ts';
import { processAlive, thisHost } from './process-liveness.ts';
import { schemaSql, schemaVersion } from './schema.ts';
import { integer, json, type SqlRow, text } from './sql-row.ts';
import { TickStore } from './tick-store.ts';
import {
  type AssetLockRecord,
  activeRunStatuses,
  type BackfillPartitionStatus,
  type BackfillPolicy,
  type BackfillProgress,
  type BackfillRecord,
  type BackfillStatus,
  type CheckResultRecord,
  type EventRecord,
  type Json,
  type LogLevel,
  type LogRecord,
  type MaterializationRecord,
  type PartitionRange,
  type RunEventType,
  type RunRecord,
  type RunStatus,
  type StepRecord,
  type StepStatus,
} from './types.ts';

/** Options for {@link RunStorage.open}. */
export interface RunStorageOptions {
  /** The SQLite file; {@link runStoragePath} gives the course's (`data/runs/runs.db`). */
  path: string;
  /** How long a statement waits for another process's write before failing (SQLite busy_timeout). Default 5000 ms. */
  busyTimeoutMs?: number;
  /** A heartbeat older than this means the run's process is gone (see markDeadRuns). Default 60 s. */
  staleAfterMs?: number;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
  /** The process recorded as executing runs and holding locks; default this one. */
  pid?: number;
  /** Its machine; default os.hostname(). */
  host?: string;
}

/** Options for {@link RunStorage.createRun}. */
export interface CreateRunOptions {
  /** The selection as typed, e.g. `key:dbt/*`. */
  selection: string;
  /** The planned assets, in execution order: each gets a PLANNED step. */
  assetKeys: readonly string[];
  /** One partition … */
  partitionKey?: string;
  /** … or a range of them (a single_run backfill). */
  range?: PartitionRange;
  /** The backfill this run belongs to. */
  backfillId?: string;
  /** The run's configuration (concurrency, retries, --mine …), stored as JSON. */
  config?: Record<string, Json>;
}

/** Options for {@link RunStorage.recordMaterialization}. */
export interface MaterializationOptions {
  runId: string;
  assetKey: string;
  /** The partition materialized; several for a run over a range (one row each). */
  partitionKeys?: readonly string[];
  rows?: number;
  durationMs?: number;
  snapshotId?: string;
  codeVersion?: string;
  metadata?: Record<string, Json>;
}

/** Options for {@link RunStorage.recordCheckResult}. */
export interface CheckResultOptions {
  runId: string;
  assetKey: string;
  checkName: string;
  partitionKey?: string;
  passed: boolean;
  severity: 'WARN' | 'ERROR';
  blocking: boolean;
  metadata?: Record<string, Json>;
}

/** Options for {@link RunStorage.acquireAssetLocks}. */
export interface AcquireLocksOptions {
  /** Wait up to this long for the holders to finish; absent or 0: refuse at once. */
  waitMs?: number;
  /** How often to look again while waiting. Default 200 ms. */
  pollMs?: number;
}

/** Options for {@link RunStorage.createBackfill}. */
export interface CreateBackfillOptions {
  selection: string;
  assetKeys: readonly string[];
  /** Every partition of the range, in order. */
  partitionKeys: readonly string[];
  policy: BackfillPolicy;
  maxPartitionsPerRun?: number;
  force?: boolean;
}

/** A run found dead by {@link RunStorage.markDeadRuns}, and why. */
export interface DeadRun {
  runId: string;
  pid: number | undefined;
  host: string | undefined;
  /** `FAILURE`, or `CANCELED` for a run that was being canceled. */
  status: RunStatus;
  reason: string;
  /** The assets that had not finished, now marked failed. */
  unfinished: string[];
}

/**
 * The course's run storage: `data/runs/runs.db` under the data folder.
 *
 * @example
 * runStoragePath(paths) // → /home/me/mini-data-mart/data/runs/runs.db
 */
export function runStoragePath(paths: MartPaths): string {
  return join(paths.data, 'runs', 'runs.db');
}

/**
 * Runs, their event timelines, materializations, check results, logs, asset locks and
 * backfills, in one SQLite file in WAL mode (Dagster's default local storage).
 *
 * Why SQLite and not DuckDB: the CLI, the web UI and a run in another process all use
 * this file at once. DuckDB lets one process open a file for writing; SQLite in WAL
 * mode lets readers read while one writer appends, and queues writers (busy_timeout).
 * Every write is one short transaction, committed before the call returns, so a run
 * killed with `kill -9` loses nothing it reported: its finished assets stay recorded,
 * and {@link markDeadRuns} (called by the next command) marks the rest failed.
 *
 * better-sqlite3 is synchronous on purpose: a write is microseconds, and no await can
 * interleave two halves of one.
 *
 * @example
 * const storage = RunStorage.open({ path: runStoragePath(paths) });
 * try {
 *   storage.markDeadRuns();
 *   const run = storage.createRun({ selection: '*', assetKeys: ['raw/sales', 'lake/silver/fact_sales'] });
 *   await storage.acquireAssetLocks(run.id, run.assetKeys);
 *   storage.startRun(run.id);
 *   …
 * } finally {
 *   storage.close();
 * }
 */
export class RunStorage {
  readonly path: string;
  readonly #db: Sqlite.Database;
  readonly #now: () => Date;
  readonly #pid: number;
  readonly #host: string;
  readonly #staleAfterMs: number;
  readonly #heartbeats = new Map<string, NodeJS.Timeout>();
  /** The scheduler's cursors and ticks, in the same file. */
  readonly ticks: TickStore;

  private constructor(path: string, db: Sqlite.Database, options: RunStorageOptions) {
    this.path = path;
    this.#db = db;
    this.#now = options.now ?? (() => new Date());
    this.ticks = new TickStore(db, this.#now);
    this.#pid = options.pid ?? process.pid;
    this.#host = options.host ?? thisHost();
    this.#staleAfterMs = options.staleAfterMs ?? 60_000;
  }

  /** Opens (creating the folder, file and tables when missing) the storage at `options.path`. */
  static open(options: RunStorageOptions): RunStorage {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    const db = new Sqlite(options.path);
    try {
      // The busy timeout first: even switching to WAL needs a lock another process may hold.
      db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
      db.pragma('journal_mode = WAL');
      // In WAL mode NORMAL loses nothing when a process dies (only on power loss) and
      // skips an fsync per commit.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return new RunStorage(options.path, db, options);
  }

  /** Stops this process's heartbeats and closes the file. */
  close(): void {
    for (const timer of this.#heartbeats.values()) clearInterval(timer);
    this.#heartbeats.clear();
    if (this.#db.open) this.#db.close();
  }

  // ── Runs ────────────────────────────────────────────────────────────────────

  /** A new QUEUED run owned by this process, with a PLANNED step per asset. */
  createRun(options: CreateRunOptions): RunRecord {
    const id = randomUUID();
    const now = this.#time();
    const range = options.range;
    this.#write(() => {
      this.#db
        .prepare(
          `insert into runs (id, status, selection, asset_keys, partition_key, range_from, range_to, backfill_id,
             config, pid, host, created_at, heartbeat_at)
           values (?, 'QUEUED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          options.selection,
          JSON.stringify(options.assetKeys),
          options.partitionKey ?? null,
          range?.from ?? null,
          range?.to ?? null,
          options.backfillId ?? null,
          JSON.stringify(options.config ?? {}),
          this.#pid,
          this.#host,
          now,
          now,
        );
      const step = this.#db.prepare(`insert into steps (run_id, asset_key, status) values (?, ?, 'PLANNED')`);
      for (const key of new Set(options.assetKeys)) step.run(id, key);
      const what = options.partitionKey
        ? ` for partition ${options.partitionKey}`
        : range
          ? ` for partitions ${range.from}…${range.to}`
          : '';
      this.#event(id, 'RUN_ENQUEUED', `Run of ${options.assetKeys.length} assets${what} queued.`, {
        payload: { selection: options.selection, pid: this.#pid, host: this.#host },
      });
    });
    return this.#requireRun(id);
  }

  /** QUEUED → STARTED. */
  startRun(runId: string): void {
    this.#write(() => {
      const now = this.#time();
      const changed = this.#db
        .prepare(
          `update runs set status = 'STARTED', started_at = ?, heartbeat_at = ?, pid = ?, host = ?
           where id = ? and status = 'QUEUED'`,
        )
        .run(now, now, this.#pid, this.#host, runId).changes;
      if (changed === 0) throw new Error(`Run ${runId} cannot start: it is ${this.#requireRun(runId).status}.`);
      this.#event(runId, 'RUN_START', `Started by PID ${this.#pid} on ${this.#host}.`);
    });
  }

  /**
   * "Still alive": refreshes the run's heartbeat. Returns its status, so the executor
   * notices a cancel request (CANCELING) or that another command gave up on it.
   */
  heartbeat(runId: string): RunStatus {
    this.#write(() => {
      this.#db.prepare('update runs set heartbeat_at = ? where id = ?').run(this.#time(), runId);
    });
    return this.#requireRun(runId).status;
  }

  /**
   * Heartbeats every `intervalMs` in the background until the returned function (or
   * close) is called. The timer does not keep the process alive.
   */
  startHeartbeat(runId: string, intervalMs = 5000): () => void {
    this.heartbeat(runId);
    const timer = setInterval(() => {
      try {
        if (this.#db.open) this.heartbeat(runId);
      } catch {
        // A busy file for longer than busy_timeout: the next beat tries again.
      }
    }, intervalMs);
    timer.unref();
    clearInterval(this.#heartbeats.get(runId));
    this.#heartbeats.set(runId, timer);
    return () => {
      clearInterval(timer);
      this.#heartbeats.delete(runId);
    };
  }

  /**
   * Asks a run to stop (`runs cancel`, possibly from another process): QUEUED runs are
   * canceled at once, STARTED ones become CANCELING and their executor stops submitting
   * steps. Returns false when the run had already ended.
   */
  requestCancel(runId: string, reason = 'Canceled on request.'): boolean {
    return this.#write(() => {
      const run = this.#requireRun(runId);
      if (run.status === 'QUEUED') {
        this.#finish(run, 'CANCELED', reason);
        return true;
      }
      if (run.status !== 'STARTED') return false;
      this.#db.prepare(`update runs set status = 'CANCELING', status_message = ? where id = ?`).run(reason, runId);
      this.#event(runId, 'RUN_CANCELING', reason);
      return true;
    });
  }

  /**
   * Ends a run: SUCCESS, FAILURE or CANCELED, with why. Steps still PLANNED or RUNNING
   * are closed (SKIPPED for a canceled run, FAILURE otherwise) and the run's locks are
   * released. Returns false when it had already ended (for example marked dead by
   * another command), leaving that verdict alone.
   */
  finishRun(runId: string, status: 'SUCCESS' | 'FAILURE' | 'CANCELED', message?: string): boolean {
    return this.#write(() => {
      const run = this.#requireRun(runId);
      if (!activeRunStatuses.includes(run.status)) return false;
      this.#finish(run, status, message);
      return true;
    });
  }

  // ── Steps ───────────────────────────────────────────────────────────────────

  /** An asset's step starts (attempt 1), or starts again after a retry. */
  stepStarted(runId: string, assetKey: string, options: { partitionKey?: string } = {}): void {
    this.#write(() => {
      const now = this.#time();
      this.#upsertStep(runId, assetKey);
      this.#db
        .prepare(
          `update steps set status = 'RUNNING', attempt = attempt + 1, started_at = coalesce(started_at, ?), message = null
           where run_id = ? and asset_key = ?`,
        )
        .run(now, runId, assetKey);
      const attempt = this.#step(runId, assetKey)?.attempt ?? 1;
      this.#event(runId, 'STEP_START', attempt === 1 ? 'Started.' : `Attempt ${attempt} started.`, {
        assetKey,
        partitionKey: options.partitionKey,
        payload: { attempt },
      });
    });
  }

  /** A try failed and the policy retries it after `delayMs`. */
  stepRetrying(runId: string, assetKey: string, options: { error: string; delayMs: number }): void {
    this.#write(() => {
      const attempt = this.#step(runId, assetKey)?.attempt ?? 1;
      this.#db
        .prepare(`update steps set message = ? where run_id = ? and asset_key = ?`)
        .run(options.error, runId, assetKey);
      this.#event(
        runId,
        'STEP_RETRY',
        `Attempt ${attempt} failed: ${options.error} Retrying in ${options.delayMs} ms.`,
        {
          assetKey,
          payload: { attempt, delayMs: options.delayMs, error: options.error },
        },
      );
    });
  }

  /** The step succeeded (record its materialization first, see recordMaterialization). */
  stepSucceeded(runId: string, assetKey: string, message = 'Succeeded.'): void {
    this.#endStep(runId, assetKey, 'SUCCESS', 'STEP_SUCCESS', message, {});
  }

  /** The step failed for good (no retry left). */
  stepFailed(runId: string, assetKey: string, options: { error: string; stack?: string }): void {
    this.#endStep(runId, assetKey, 'FAILURE', 'STEP_FAILURE', options.error, {
      error: options.error,
      ...(options.stack ? { stack: options.stack } : {}),
    });
  }

  /** The step will not run: an upstream asset failed, a blocking check failed, or the run was canceled. */
  stepSkipped(runId: string, assetKey: string, reason: string): void {
    this.#endStep(runId, assetKey, 'SKIPPED', 'STEP_SKIPPED', reason, {});
  }

  /**
   * Records what a step wrote: an ASSET_MATERIALIZATION event and a materializations
   * row per partition (one row, partition NULL, for an unpartitioned asset).
   */
  recordMaterialization(options: MaterializationOptions): MaterializationRecord[] {
    return this.#write(() => {
      const now = this.#time();
      const partitions = options.partitionKeys?.length ? options.partitionKeys : [undefined];
      const ids: number[] = [];
      for (const partition of partitions) {
        const rows = options.rows === undefined ? '' : ` (${options.rows} rows)`;
        const eventId = this.#event(options.runId, 'ASSET_MATERIALIZATION', `Materialized${rows}.`, {
          assetKey: options.assetKey,
          partitionKey: partition,
          payload: {
            rows: options.rows ?? null,
            durationMs: options.durationMs ?? null,
            snapshotId: options.snapshotId ?? null,
            codeVersion: options.codeVersion ?? null,
            metadata: options.metadata ?? {},
          },
        });
        const info = this.#db
          .prepare(
            `insert into materializations (event_id, run_id, asset_key, partition_key, time, rows, duration_ms,
               snapshot_id, code_version, metadata)
             values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            eventId,
            options.runId,
            options.assetKey,
            partition ?? null,
            now,
            options.rows ?? null,
            options.durationMs ?? null,
            options.snapshotId ?? null,
            options.codeVersion ?? null,
            JSON.stringify(options.metadata ?? {}),
          );
        ids.push(Number(info.lastInsertRowid));
      }
      return this.#db
        .prepare(`select * from materializations where id in (${ids.map(() => '?').join(', ')}) order by id`)
        .all(...ids)
        .map((row) => toMaterialization(row as SqlRow));
    });
  }

  /** Records one asset check evaluation (an ASSET_CHECK_EVALUATION event and a row). */
  recordCheckResult(options: CheckResultOptions): CheckResultRecord {
    return this.#write(() => {
      const verdict = options.passed ? 'passed' : `failed (${options.severity}${options.blocking ? ', blocking' : ''})`;
      const eventId = this.#event(options.runId, 'ASSET_CHECK_EVALUATION', `Check ${options.checkName} ${verdict}.`, {
        assetKey: options.assetKey,
        partitionKey: options.partitionKey,
        payload: {
          checkName: options.checkName,
          passed: options.passed,
          severity: options.severity,
          blocking: options.blocking,
          metadata: options.metadata ?? {},
        },
      });
      const info = this.#db
        .prepare(
          `insert into check_results (event_id, run_id, asset_key, check_name, partition_key, passed, severity, blocking,
             time, metadata)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          eventId,
          options.runId,
          options.assetKey,
          options.checkName,
          options.partitionKey ?? null,
          options.passed ? 1 : 0,
          options.severity,
          options.blocking ? 1 : 0,
          this.#time(),
          JSON.stringify(options.metadata ?? {}),
        );
      return toCheckResult(
        this.#db.prepare('select * from check_results where id = ?').get(Number(info.lastInsertRowid)) as SqlRow,
      );
    });
  }

  /** One log line of a run (kept apart from the event timeline, like a step's stdout). */
  log(runId: string, level: LogLevel, message: string, assetKey?: string): void {
    this.#write(() => {
      this.#db
        .prepare('insert into logs (run_id, time, level, asset_key, message) values (?, ?, ?, ?, ?)')
        .run(runId, this.#time(), level, assetKey ?? null, message);
    });
  }

  // ── Locks ───────────────────────────────────────────────────────────────────

  /**
   * Takes the lock of every asset, all or none, for `runId`. When another live run
   * holds one: refuses at once with an {@link AssetLockedError} naming that run and its
   * PID, or with `waitMs` waits for it (up to waitMs, then the same error). Locks of
   * dead runs are released on the way (see markDeadRuns).
   */
  async acquireAssetLocks(
    runId: string,
    assetKeys: readonly string[],
    options: AcquireLocksOptions = {},
  ): Promise<void> {
    const waitMs = options.waitMs ?? 0;
    const started = Date.now();
    for (;;) {
      const holders = this.tryAcquireAssetLocks(runId, assetKeys);
      if (holders.length === 0) return;
      const waited = Date.now() - started;
      if (waited >= waitMs) throw new AssetLockedError(holders, { waitedMs: waitMs > 0 ? waited : undefined });
      await sleep(Math.min(options.pollMs ?? 200, Math.max(1, waitMs - waited)));
    }
  }

  /** One attempt of {@link acquireAssetLocks}: `[]` when taken, else the locks in the way. */
  tryAcquireAssetLocks(runId: string, assetKeys: readonly string[]): AssetLockRecord[] {
    this.markDeadRuns();
    return this.#write(() => {
      const wanted = [...new Set(assetKeys)];
      const find = this.#db.prepare('select * from asset_locks where asset_key = ?');
      const holders = wanted
        .map((key) => find.get(key) as SqlRow | undefined)
        .filter((row): row is SqlRow => row !== undefined)
        .map(toLock)
        .filter((lock) => lock.runId !== runId);
      if (holders.length > 0) return holders;
      const insert = this.#db.prepare(
        `insert or ignore into asset_locks (asset_key, run_id, pid, host, acquired_at) values (?, ?, ?, ?, ?)`,
      );
      const now = this.#time();
      for (const key of wanted) insert.run(key, runId, this.#pid, this.#host, now);
      this.#event(runId, 'LOCKS_ACQUIRED', `Locked ${wanted.length} assets.`, { payload: { assetKeys: wanted } });
      return [];
    });
  }

  /** Releases every lock `runId` holds (finishRun does it too). */
  releaseAssetLocks(runId: string): void {
    this.#write(() => this.#releaseLocks(runId));
  }

  /** Every lock held now. */
  assetLocks(): AssetLockRecord[] {
    return this.#db
      .prepare('select * from asset_locks order by asset_key')
      .all()
      .map((row) => toLock(row as SqlRow));
  }

  // ── Dead runs ───────────────────────────────────────────────────────────────

  /**
   * Finds runs whose process is gone and ends them: a run QUEUED, STARTED or CANCELING
   * whose PID no longer exists on this machine, or whose heartbeat is older than
   * `staleAfterMs` (a hung process, a PID reused, a run on another machine). Each
   * becomes FAILURE (CANCELED if it was being canceled) with an event saying why; its
   * unfinished steps fail and its locks are released. What it finished stays recorded.
   * Every command that reads or writes runs calls this first.
   */
  markDeadRuns(options: { staleAfterMs?: number } = {}): DeadRun[] {
    const staleAfterMs = options.staleAfterMs ?? this.#staleAfterMs;
    const active = this.#db
      .prepare(`select * from runs where status in ('QUEUED', 'STARTED', 'CANCELING')`)
      .all()
      .map((row) => toRun(row as SqlRow));
    const dead: DeadRun[] = [];
    for (const candidate of active) {
      const reason = this.#deathReason(candidate, staleAfterMs);
      if (reason === undefined) continue;
      const marked = this.#write(() => {
        // Look again inside the transaction: the run may have ended meanwhile.
        const run = this.#run(candidate.id);
        if (!run || !activeRunStatuses.includes(run.status)) return undefined;
        const unfinished = this.steps(run.id)
          .filter((step) => step.status === 'PLANNED' || step.status === 'RUNNING')
          .map((step) => step.assetKey);
        const status: RunStatus = run.status === 'CANCELING' ? 'CANCELED' : 'FAILURE';
        this.#finish(run, status, reason, { stepMessage: `Not finished: ${reason}` });
        return { runId: run.id, pid: run.pid, host: run.host, status, reason, unfinished };
      });
      if (marked) dead.push(marked);
    }
    return dead;
  }

  /** Why `run`'s process is gone, or undefined while it is alive. */
  #deathReason(run: RunRecord, staleAfterMs: number): string | undefined {
    const where = run.pid === undefined ? 'an unknown process' : `PID ${run.pid} on ${run.host ?? 'an unknown host'}`;
    if (run.pid !== undefined && run.host !== undefined && processAlive(run.pid, run.host) === false) {
      return `its process (${where}) is gone.`;
    }
    const beat = run.heartbeatAt ?? run.startedAt ?? run.createdAt;
    const age = this.#now().getTime() - new Date(beat).getTime();
    if (age > staleAfterMs) {
      return `no heartbeat from its process (${where}) for ${Math.round(age / 1000)} s (limit ${Math.round(staleAfterMs / 1000)} s).`;
    }
    return undefined;
  }

  // ── Backfills ───────────────────────────────────────────────────────────────

  /** Records a backfill request; its runs point at it (createRun's backfillId). */
  createBackfill(options: CreateBackfillOptions): BackfillRecord {
    const id = randomUUID();
    const now = this.#time();
    const keys = options.partitionKeys;
    if (keys.length === 0) throw new Error('A backfill needs at least one partition.');
    this.#write(() => {
      this.#db
        .prepare(
          `insert into backfills (id, selection, asset_keys, partition_keys, range_from, range_to, policy,
             max_partitions_per_run, force, status, created_at, updated_at)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'REQUESTED', ?, ?)`,
        )
        .run(
          id,
          options.selection,
          JSON.stringify(options.assetKeys),
          JSON.stringify(keys),
          keys[0],
          keys[keys.length - 1],
          options.policy,
          options.maxPartitionsPerRun ?? null,
          options.force ? 1 : 0,
          now,
          now,
        );
    });
    return this.#requireBackfill(id);
  }

  /** Marks a backfill finished (COMPLETED, FAILED, CANCELED). */
  finishBackfill(id: string, status: Exclude<BackfillStatus, 'REQUESTED'>): void {
    this.#write(() => {
      this.#db.prepare('update backfills set status = ?, updated_at = ? where id = ?').run(status, this.#time(), id);
    });
  }

  /** One backfill, or undefined. */
  backfill(id: string): BackfillRecord | undefined {
    const row = this.#db.prepare('select * from backfills where id = ?').get(id) as SqlRow | undefined;
    return row ? toBackfill(row) : undefined;
  }

  /** Backfills, newest first; `status: 'REQUESTED'` lists those a restart must resume. */
  backfills(options: { status?: BackfillStatus } = {}): BackfillRecord[] {
    const rows = options.status
      ? this.#db.prepare('select * from backfills where status = ? order by created_at desc').all(options.status)
      : this.#db.prepare('select * from backfills order by created_at desc').all();
    return rows.map((row) => toBackfill(row as SqlRow));
  }

  /**
   * Where each partition of a backfill stands, from its runs and their materialization
   * events (not from any counter the executor keeps): so a backfill whose command was
   * killed resumes with exactly the partitions still missing or failed.
   */
  backfillProgress(id: string): BackfillProgress {
    const backfill = this.#requireBackfill(id);
    const index = new Map(backfill.partitionKeys.map((key, i) => [key, i]));
    const runs = this.runs({ backfillId: id, limit: 0 });
    const covered = (run: RunRecord): number[] => {
      if (run.partitionKey !== undefined) {
        const i = index.get(run.partitionKey);
        return i === undefined ? [] : [i];
      }
      if (!run.range) return [];
      const from = index.get(run.range.from) ?? 0;
      const to = index.get(run.range.to) ?? backfill.partitionKeys.length - 1;
      return Array.from({ length: Math.max(0, to - from + 1) }, (_, k) => from + k);
    };
    // asset → partitions materialized by this backfill's runs.
    const done = new Map<string, Set<string>>();
    const materialized = this.#db
      .prepare(
        `select distinct m.asset_key, m.partition_key from materializations m join runs r on r.id = m.run_id
         where r.backfill_id = ? and m.partition_key is not null`,
      )
      .all(id) as SqlRow[];
    for (const row of materialized) {
      const set = done.get(String(row.asset_key)) ?? new Set<string>();
      set.add(String(row.partition_key));
      done.set(String(row.asset_key), set);
    }
    const active = new Set<number>();
    const ended = new Set<number>();
    for (const run of runs) {
      for (const i of covered(run)) (activeRunStatuses.includes(run.status) ? active : ended).add(i);
    }
    const partitions = new Map<string, BackfillPartitionStatus>();
    const counts: Record<BackfillPartitionStatus, number> = { MISSING: 0, IN_PROGRESS: 0, MATERIALIZED: 0, FAILED: 0 };
    backfill.partitionKeys.forEach((key, i) => {
      const all = backfill.assetKeys.every((asset) => done.get(asset)?.has(key));
      const status: BackfillPartitionStatus = all
        ? 'MATERIALIZED'
        : active.has(i)
          ? 'IN_PROGRESS'
          : ended.has(i)
            ? 'FAILED'
            : 'MISSING';
      partitions.set(key, status);
      counts[status] += 1;
    });
    const remaining = backfill.partitionKeys.filter((key) => {
      const status = partitions.get(key);
      return status === 'MISSING' || status === 'FAILED';
    });
    return { backfill, partitions, counts, remaining };
  }

  // ── Readers ─────────────────────────────────────────────────────────────────

  /** One run by id, or undefined. */
  run(id: string): RunRecord | undefined {
    return this.#run(id);
  }

  /**
   * A run by its id or an unambiguous prefix of it (`runs show 1c9e`). Undefined when
   * none matches; an error when several do.
   */
  findRun(idOrPrefix: string): RunRecord | undefined {
    const exact = this.#run(idOrPrefix);
    if (exact) return exact;
    const rows = this.#db
      .prepare(`select * from runs where substr(id, 1, ?) = ? order by created_at desc limit 2`)
      .all(idOrPrefix.length, idOrPrefix.toLowerCase()) as SqlRow[];
    if (rows.length > 1) throw new Error(`Several runs start with ${idOrPrefix}: give more of the id.`);
    return rows[0] ? toRun(rows[0]) : undefined;
  }

  /** Runs, newest first (`limit` 50 by default; 0 for all). */
  runs(options: { limit?: number; statuses?: readonly RunStatus[]; backfillId?: string } = {}): RunRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.statuses?.length) {
      where.push(`status in (${options.statuses.map(() => '?').join(', ')})`);
      params.push(...options.statuses);
    }
    if (options.backfillId) {
      where.push('backfill_id = ?');
      params.push(options.backfillId);
    }
    const sql = `select * from runs ${where.length ? `where ${where.join(' and ')}` : ''}
                 order by created_at desc, rowid desc limit ?`;
    return this.#db
      .prepare(sql)
      .all(...params, options.limit === 0 ? -1 : (options.limit ?? 50))
      .map((row) => toRun(row as SqlRow));
  }

  /**
   * A run's timeline in order. `afterId` reads only what came after an event already
   * seen: a live view polls with the last id it has.
   */
  events(runId: string, options: { afterId?: number; limit?: number } = {}): EventRecord[] {
    return this.#db
      .prepare('select * from events where run_id = ? and id > ? order by id limit ?')
      .all(runId, options.afterId ?? 0, options.limit ?? -1)
      .map((row) => toEvent(row as SqlRow));
  }

  /** Every event of every run after `afterId` (a UI following all runs at once). */
  eventsAfter(afterId = 0, limit = 1000): EventRecord[] {
    return this.#db
      .prepare('select * from events where id > ? order by id limit ?')
      .all(afterId, limit)
      .map((row) => toEvent(row as SqlRow));
  }

  /** A run's steps, in the planned order. */
  steps(runId: string): StepRecord[] {
    const run = this.#run(runId);
    const order = new Map((run?.assetKeys ?? []).map((key, i) => [key, i]));
    return this.#db
      .prepare('select * from steps where run_id = ?')
      .all(runId)
      .map((row) => toStep(row as SqlRow))
      .sort((a, b) => (order.get(a.assetKey) ?? 1e9) - (order.get(b.assetKey) ?? 1e9));
  }

  /** Materializations, newest first, filtered by asset, partition or run. */
  materializations(
    options: { assetKey?: string; partitionKey?: string; runId?: string; limit?: number } = {},
  ): MaterializationRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [column, value] of [
      ['asset_key', options.assetKey],
      ['partition_key', options.partitionKey],
      ['run_id', options.runId],
    ] as const) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    return this.#db
      .prepare(
        `select * from materializations ${where.length ? `where ${where.join(' and ')}` : ''} order by id desc limit ?`,
      )
      .all(...params, options.limit ?? -1)
      .map((row) => toMaterialization(row as SqlRow));
  }

  /** How many materializations match (cheaper than reading them: a live counter). */
  countMaterializations(options: { assetKey?: string; runId?: string } = {}): number {
    const row = this.#db
      .prepare(
        `select count(*) as n from materializations
         where (? is null or asset_key = ?) and (? is null or run_id = ?)`,
      )
      .get(options.assetKey ?? null, options.assetKey ?? null, options.runId ?? null, options.runId ?? null) as SqlRow;
    return Number(row.n);
  }

  /**
   * The last materialization of every asset ever materialized (the `assets` command).
   * With `changedData`, the last one that changed the data: a step that found nothing
   * new records its materialization with `unchanged: true` (an ingest of files already
   * landed), which must not make the assets downstream stale (Dagster compares data
   * versions for the same reason).
   */
  latestMaterializations(options: { changedData?: boolean } = {}): Map<string, MaterializationRecord> {
    const changed = options.changedData ? `where coalesce(json_extract(metadata, '$.unchanged'), 0) != 1` : '';
    const rows = this.#db
      .prepare(
        `select m.* from materializations m
         join (select asset_key, max(id) as id from materializations ${changed} group by asset_key) last on last.id = m.id
         order by m.asset_key`,
      )
      .all() as SqlRow[];
    return new Map(rows.map((row) => [String(row.asset_key), toMaterialization(row)]));
  }

  /**
   * Where each partition of an asset stands: `MATERIALIZED` when its last materialization
   * is newer than any failure of a step covering it, `FAILED` when a step covering it
   * failed (or was left unfinished by a dead run) after that; partitions never tried are
   * absent. `partitionKeys` (the asset's partitions, in order) expands the ranges of
   * single-run backfills.
   */
  partitionStatuses(assetKey: string, partitionKeys: readonly string[] = []): Map<string, 'MATERIALIZED' | 'FAILED'> {
    const lastGood = new Map<string, number>();
    const good = this.#db
      .prepare(
        `select partition_key, max(event_id) as event_id from materializations
         where asset_key = ? and partition_key is not null group by partition_key`,
      )
      .all(assetKey) as SqlRow[];
    for (const row of good) lastGood.set(String(row.partition_key), Number(row.event_id));
    const lastBad = new Map<string, number>();
    const index = new Map(partitionKeys.map((key, i) => [key, i]));
    const failures = this.#db
      .prepare(
        `select e.id, r.partition_key, r.range_from, r.range_to from events e join runs r on r.id = e.run_id
         where e.asset_key = ? and e.type = 'STEP_FAILURE'`,
      )
      .all(assetKey) as SqlRow[];
    for (const row of failures) {
      const keys: string[] = [];
      if (row.partition_key !== null) keys.push(String(row.partition_key));
      else if (row.range_from !== null && row.range_to !== null) {
        const from = index.get(String(row.range_from));
        const to = index.get(String(row.range_to));
        if (from !== undefined && to !== undefined) keys.push(...partitionKeys.slice(from, to + 1));
        else keys.push(String(row.range_from), String(row.range_to));
      }
      for (const key of keys) lastBad.set(key, Math.max(lastBad.get(key) ?? 0, Number(row.id)));
    }
    const statuses = new Map<string, 'MATERIALIZED' | 'FAILED'>();
    for (const key of new Set([...lastGood.keys(), ...lastBad.keys()])) {
      statuses.set(key, (lastGood.get(key) ?? 0) > (lastBad.get(key) ?? 0) ? 'MATERIALIZED' : 'FAILED');
    }
    return statuses;
  }

  /** Check results, newest first, by run and/or asset. */
  checkResults(options: { runId?: string; assetKey?: string; limit?: number } = {}): CheckResultRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.runId !== undefined) {
      where.push('run_id = ?');
      params.push(options.runId);
    }
    if (options.assetKey !== undefined) {
      where.push('asset_key = ?');
      params.push(options.assetKey);
    }
    return this.#db
      .prepare(
        `select * from check_results ${where.length ? `where ${where.join(' and ')}` : ''} order by id desc limit ?`,
      )
      .all(...params, options.limit ?? -1)
      .map((row) => toCheckResult(row as SqlRow));
  }

  /** A run's log lines in order (`afterId` for a live view). */
  logs(runId: string, options: { afterId?: number } = {}): LogRecord[] {
    return this.#db
      .prepare('select * from logs where run_id = ? and id > ? order by id')
      .all(runId, options.afterId ?? 0)
      .map((row) => toLog(row as SqlRow));
  }

  // ── Internals ───────────────────────────────────────────────────────────────

  /**
   * One short write transaction. IMMEDIATE takes the write lock up front, so two
   * processes queue on busy_timeout instead of one failing when it upgrades a read.
   */
  #write<T>(work: () => T): T {
    if (this.#db.inTransaction) return work();
    return this.#db.transaction(work).immediate();
  }

  #time(): string {
    return this.#now().toISOString();
  }

  #event(
    runId: string,
    type: RunEventType,
    message: string,
    options: { assetKey?: string | undefined; partitionKey?: string | undefined; payload?: Record<string, Json> } = {},
  ): number {
    const info = this.#db
      .prepare(
        'insert into events (run_id, time, type, asset_key, partition_key, message, payload) values (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        runId,
        this.#time(),
        type,
        options.assetKey ?? null,
        options.partitionKey ?? null,
        message,
        JSON.stringify(options.payload ?? {}),
      );
    return Number(info.lastInsertRowid);
  }

  #run(id: string): RunRecord | undefined {
    const row = this.#db.prepare('select * from runs where id = ?').get(id) as SqlRow | undefined;
    return row ? toRun(row) : undefined;
  }

  #requireRun(id: string): RunRecord {
    const run = this.#run(id);
    if (!run) throw new Error(`No run ${id} in ${this.path}.`);
    return run;
  }

  #requireBackfill(id: string): BackfillRecord {
    const backfill = this.backfill(id);
    if (!backfill) throw new Error(`No backfill ${id} in ${this.path}.`);
    return backfill;
  }

  #step(runId: string, assetKey: string): StepRecord | undefined {
    const row = this.#db.prepare('select * from steps where run_id = ? and asset_key = ?').get(runId, assetKey) as
      | SqlRow
      | undefined;
    return row ? toStep(row) : undefined;
  }

  /** A step the plan did not list (a check, an asset added on the way) gets a row when it starts. */
  #upsertStep(runId: string, assetKey: string): void {
    this.#db
      .prepare(`insert or ignore into steps (run_id, asset_key, status) values (?, ?, 'PLANNED')`)
      .run(runId, assetKey);
  }

  #endStep(
    runId: string,
    assetKey: string,
    status: StepStatus,
    type: RunEventType,
    message: string,
    payload: Record<string, Json>,
  ): void {
    this.#write(() => {
      this.#upsertStep(runId, assetKey);
      this.#db
        .prepare('update steps set status = ?, ended_at = ?, message = ? where run_id = ? and asset_key = ?')
        .run(status, this.#time(), message, runId, assetKey);
      this.#event(runId, type, message, { assetKey, payload });
    });
  }

  /** Ends a run inside the caller's transaction: steps, status, event, locks. */
  #finish(
    run: RunRecord,
    status: RunStatus,
    message: string | undefined,
    options: { stepMessage?: string } = {},
  ): void {
    const open = this.steps(run.id).filter((step) => step.status === 'PLANNED' || step.status === 'RUNNING');
    const stepStatus: StepStatus = status === 'CANCELED' ? 'SKIPPED' : status === 'SUCCESS' ? 'SKIPPED' : 'FAILURE';
    for (const step of open) {
      const why =
        options.stepMessage ??
        (status === 'CANCELED' ? 'The run was canceled.' : `The run ended (${status}) before this step finished.`);
      this.#db
        .prepare('update steps set status = ?, ended_at = ?, message = ? where run_id = ? and asset_key = ?')
        .run(stepStatus, this.#time(), why, run.id, step.assetKey);
      this.#event(run.id, stepStatus === 'FAILURE' ? 'STEP_FAILURE' : 'STEP_SKIPPED', why, {
        assetKey: step.assetKey,
        payload: { error: why, wasRunning: step.status === 'RUNNING' },
      });
    }
    this.#db
      .prepare('update runs set status = ?, ended_at = ?, status_message = coalesce(?, status_message) where id = ?')
      .run(status, this.#time(), message ?? null, run.id);
    const type: RunEventType =
      status === 'SUCCESS' ? 'RUN_SUCCESS' : status === 'CANCELED' ? 'RUN_CANCELED' : 'RUN_FAILURE';
    const fallback = status === 'SUCCESS' ? 'Succeeded.' : status === 'CANCELED' ? 'Canceled.' : 'Failed.';
    this.#event(run.id, type, message ?? fallback, { payload: { status } });
    this.#releaseLocks(run.id);
  }

  #releaseLocks(runId: string): void {
    const released = this.#db.prepare('delete from asset_locks where run_id = ?').run(runId).changes;
    if (released > 0) this.#event(runId, 'LOCKS_RELEASED', `Released ${released} asset locks.`);
  }
}

/** Creates the tables in a fresh file, adds the newer ones to an older file (every statement is `if not exists`); refuses a file written by a newer version. */
function migrate(db: Sqlite.Database): void {
  db.transaction(() => {
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version > schemaVersion) {
      throw new Error(
        `${db.name} was written by a newer Mini Data Mart (storage version ${version}, this one knows ${schemaVersion}).`,
      );
    }
    if (version === schemaVersion) return;
    db.exec(schemaSql);
    db.pragma(`user_version = ${schemaVersion}`);
  }).immediate();
}

// ── Row → record ──────────────────────────────────────────────────────────────

function toRun(row: SqlRow): RunRecord {
  const from = text(row.range_from);
  const to = text(row.range_to);
  return {
    id: String(row.id),
    status: row.status as RunStatus,
    selection: String(row.selection),
    assetKeys: json<string[]>(row.asset_keys, []),
    partitionKey: text(row.partition_key),
    range: from !== undefined && to !== undefined ? { from, to } : undefined,
    backfillId: text(row.backfill_id),
    config: json<Record<string, Json>>(row.config, {}),
    pid: integer(row.pid),
    host: text(row.host),
    createdAt: String(row.created_at),
    startedAt: text(row.started_at),
    endedAt: text(row.ended_at),
    heartbeatAt: text(row.heartbeat_at),
    statusMessage: text(row.status_message),
  };
}

function toEvent(row: SqlRow): EventRecord {
  return {
    id: Number(row.id),
    runId: String(row.run_id),
    time: String(row.time),
    type: row.type as RunEventType,
    assetKey: text(row.asset_key),
    partitionKey: text(row.partition_key),
    message: String(row.message),
    payload: json<Record<string, Json>>(row.payload, {}),
  };
}

function toStep(row: SqlRow): StepRecord {
  return {
    runId: String(row.run_id),
    assetKey: String(row.asset_key),
    status: row.status as StepStatus,
    attempt: Number(row.attempt),
    startedAt: text(row.started_at),
    endedAt: text(row.ended_at),
    message: text(row.message),
  };
}

function toMaterialization(row: SqlRow): MaterializationRecord {
  return {
    id: Number(row.id),
    eventId: Number(row.event_id),
    runId: String(row.run_id),
    assetKey: String(row.asset_key),
    partitionKey: text(row.partition_key),
    time: String(row.time),
    rows: integer(row.rows),
    durationMs: integer(row.duration_ms),
    snapshotId: text(row.snapshot_id),
    codeVersion: text(row.code_version),
    metadata: json<Record<string, Json>>(row.metadata, {}),
  };
}

function toCheckResult(row: SqlRow): CheckResultRecord {
  return {
    id: Number(row.id),
    eventId: Number(row.event_id),
    runId: String(row.run_id),
    assetKey: String(row.asset_key),
    checkName: String(row.check_name),
    partitionKey: text(row.partition_key),
    passed: Number(row.passed) === 1,
    severity: row.severity as 'WARN' | 'ERROR',
    blocking: Number(row.blocking) === 1,
    time: String(row.time),
    metadata: json<Record<string, Json>>(row.metadata, {}),
  };
}

function toLog(row: SqlRow): LogRecord {
  return {
    id: Number(row.id),
    runId: String(row.run_id),
    time: String(row.time),
    level: row.level as LogLevel,
    assetKey: text(row.asset_key),
    message: String(row.message),
  };
}

function toLock(row: SqlRow): AssetLockRecord {
  return {
    assetKey: String(row.asset_key),
    runId: String(row.run_id),
    pid: Number(row.pid),
    host: String(row.host),
    acquiredAt: String(row.acquired_at),
  };
}

function toBackfill(row: SqlRow): BackfillRecord {
  return {
    id: String(row.id),
    selection: String(row.selection),
    assetKeys: json<string[]>(row.asset_keys, []),
    partitionKeys: json<string[]>(row.partition_keys, []),
    range: { from: String(row.range_from), to: String(row.range_to) },
    policy: row.policy as BackfillPolicy,
    maxPartitionsPerRun: integer(row.max_partitions_per_run),
    force: Number(row.force) === 1,
    status: row.status as BackfillStatus,
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}

import type Sqlite from 'better-sqlite3';
import { type SqlRow, text } from './sql-row.ts';

/** Dagster calls schedules and sensors together "instigators": what launches runs on its own. */
export type InstigatorType = 'schedule' | 'sensor';

/** Where one tick stands: claimed (STARTED), then what its run did, or SKIPPED with the reason. */
export type TickStatus = 'STARTED' | 'SUCCESS' | 'FAILURE' | 'SKIPPED';

/** One tick, as stored. */
export interface TickRecord {
  id: number;
  instigator: string;
  type: InstigatorType;
  /** A schedule's cron time (ISO, UTC); a sensor's evaluation time. */
  tickTime: string;
  /** A sensor's run key: the file and its content hash. */
  runKey: string | undefined;
  status: TickStatus;
  runId: string | undefined;
  message: string | undefined;
  createdAt: string;
  endedAt: string | undefined;
}

/** What {@link TickStore.claim} takes. */
export interface ClaimTickOptions {
  instigator: string;
  type: InstigatorType;
  tickTime: Date;
  runKey?: string;
  /** SKIPPED ticks are claimed already ended, with the reason. */
  skipped?: string;
}

/**
 * The scheduler's part of runs.db: each schedule's and sensor's cursor, and its ticks.
 * A tick is claimed before its run is launched; the unique indexes (one row per
 * schedule tick time, one per sensor run key) make the claim the lock, so two
 * schedulers on the same storage never launch the same tick twice.
 */
export class TickStore {
  readonly #db: Sqlite.Database;
  readonly #now: () => Date;

  constructor(db: Sqlite.Database, now: () => Date) {
    this.#db = db;
    this.#now = now;
  }

  /** The cursor an instigator stored (a schedule: the last tick time it evaluated). */
  cursor(name: string): string | undefined {
    const row = this.#db.prepare('select cursor from instigators where name = ?').get(name) as SqlRow | undefined;
    return typeof row?.cursor === 'string' ? row.cursor : undefined;
  }

  /** Stores an instigator's cursor (creating its row on first use). */
  setCursor(name: string, type: InstigatorType, cursor: string | undefined): void {
    this.#db
      .prepare(
        `insert into instigators (name, type, cursor, updated_at) values (?, ?, ?, ?)
         on conflict (name) do update set cursor = excluded.cursor, updated_at = excluded.updated_at`,
      )
      .run(name, type, cursor ?? null, this.#time());
  }

  /**
   * Claims a tick: the new row, or undefined when that tick time (schedule) or run key
   * (sensor) was claimed already, by this process or another.
   */
  claim(options: ClaimTickOptions): TickRecord | undefined {
    const write = this.#db.transaction(() => {
      this.#db
        .prepare(`insert or ignore into instigators (name, type, updated_at) values (?, ?, ?)`)
        .run(options.instigator, options.type, this.#time());
      const now = this.#time();
      const info = this.#db
        .prepare(
          `insert or ignore into ticks (instigator, type, tick_time, run_key, status, message, created_at, ended_at)
           values (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          options.instigator,
          options.type,
          options.tickTime.toISOString(),
          options.runKey ?? null,
          options.skipped === undefined ? 'STARTED' : 'SKIPPED',
          options.skipped ?? null,
          now,
          options.skipped === undefined ? null : now,
        );
      return info.changes === 0 ? undefined : Number(info.lastInsertRowid);
    });
    const id = write.immediate();
    return id === undefined ? undefined : this.#tick(id);
  }

  /** Records the run a claimed tick launched. */
  launched(tickId: number, runId: string): void {
    this.#db.prepare('update ticks set run_id = ? where id = ?').run(runId, tickId);
  }

  /** Ends a claimed tick with its run's outcome. */
  finish(tickId: number, status: Exclude<TickStatus, 'STARTED'>, message: string): void {
    this.#db
      .prepare('update ticks set status = ?, message = ?, ended_at = ? where id = ?')
      .run(status, message, this.#time(), tickId);
  }

  /** Whether a sensor launched (or skipped) this run key before. */
  hasRunKey(instigator: string, runKey: string): boolean {
    return (
      this.#db.prepare('select 1 from ticks where instigator = ? and run_key = ?').get(instigator, runKey) !== undefined
    );
  }

  /** An instigator's ticks, newest first. */
  ticks(instigator: string, options: { limit?: number } = {}): TickRecord[] {
    const rows = this.#db
      .prepare('select * from ticks where instigator = ? order by id desc limit ?')
      .all(instigator, options.limit ?? 20) as SqlRow[];
    return rows.map(toTick);
  }

  /**
   * Ticks left STARTED by a scheduler that died mid-run: ended as FAILURE, so they are
   * not mistaken for running ones. `isRunActive` says whether the tick's run still is;
   * a tick with no run yet is left alone for a minute (another scheduler may be
   * launching it right now).
   */
  endAbandoned(isRunActive: (runId: string) => boolean): number {
    const rows = this.#db.prepare(`select * from ticks where status = 'STARTED'`).all() as SqlRow[];
    const launching = this.#now().getTime() - 60_000;
    let ended = 0;
    for (const tick of rows.map(toTick)) {
      if (tick.runId !== undefined && isRunActive(tick.runId)) continue;
      if (tick.runId === undefined && Date.parse(tick.createdAt) > launching) continue;
      this.finish(tick.id, 'FAILURE', 'The scheduler stopped before this tick ended.');
      ended += 1;
    }
    return ended;
  }

  #tick(id: number): TickRecord {
    return toTick(this.#db.prepare('select * from ticks where id = ?').get(id) as SqlRow);
  }

  #time(): string {
    return this.#now().toISOString();
  }
}

function toTick(row: SqlRow): TickRecord {
  return {
    id: Number(row.id),
    instigator: String(row.instigator),
    type: row.type as InstigatorType,
    tickTime: String(row.tick_time),
    runKey: text(row.run_key),
    status: row.status as TickStatus,
    runId: text(row.run_id),
    message: text(row.message),
    createdAt: String(row.created_at),
    endedAt: text(row.ended_at),
  };
}

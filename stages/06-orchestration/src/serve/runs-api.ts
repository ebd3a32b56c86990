import type { RunStorage } from '../storage/run-storage.ts';
import type { EventRecord, RunRecord, StepRecord } from '../storage/types.ts';

/** One line of the runs list (/api/runs). */
export interface RunSummary {
  id: string;
  status: RunRecord['status'];
  selection: string;
  /** One partition, `from … to`, or empty. */
  partitions: string;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  statusMessage: string | null;
  steps: { total: number; done: number; failed: number; skipped: number; running: number };
}

/** One run with its steps (/api/runs/<id>); its timeline comes from /api/runs/<id>/events. */
export interface RunDetail {
  run: RunSummary;
  steps: (StepRecord & { rows: number | null; checks: { passed: number; failed: number } })[];
}

/** Events after a cursor, and the cursor to ask with next. */
export interface EventPage {
  events: EventRecord[];
  cursor: number;
  /** The page was full: more events are waiting after `cursor`. */
  more: boolean;
}

function partitionsOf(run: RunRecord): string {
  if (run.partitionKey) return run.partitionKey;
  if (run.range) return `${run.range.from} … ${run.range.to}`;
  return '';
}

/** The runs list's view of a run: the same counts `pnpm stage 6 runs` shows. */
export function runSummary(storage: RunStorage, run: RunRecord): RunSummary {
  const steps = storage.steps(run.id);
  const count = (status: StepRecord['status']) => steps.filter((step) => step.status === status).length;
  return {
    id: run.id,
    status: run.status,
    selection: run.selection,
    partitions: partitionsOf(run),
    createdAt: run.createdAt,
    startedAt: run.startedAt ?? null,
    endedAt: run.endedAt ?? null,
    statusMessage: run.statusMessage ?? null,
    steps: {
      total: steps.length,
      done: count('SUCCESS'),
      failed: count('FAILURE'),
      skipped: count('SKIPPED'),
      running: count('RUNNING'),
    },
  };
}

/** The newest runs, newest first. */
export function runSummaries(storage: RunStorage, limit: number): RunSummary[] {
  return storage.runs({ limit }).map((run) => runSummary(storage, run));
}

/** A run, its steps with the rows written and checks passed; undefined when no run has that id. */
export function runDetail(storage: RunStorage, id: string): RunDetail | undefined {
  const run = storage.run(id);
  if (!run) return undefined;
  const rows = new Map<string, number>();
  for (const record of storage.materializations({ runId: id })) {
    if (record.rows !== undefined) rows.set(record.assetKey, (rows.get(record.assetKey) ?? 0) + record.rows);
  }
  const checks = storage.checkResults({ runId: id });
  return {
    run: runSummary(storage, run),
    steps: storage.steps(id).map((step) => {
      const own = checks.filter((check) => check.assetKey === step.assetKey);
      const passed = own.filter((check) => check.passed).length;
      return { ...step, rows: rows.get(step.assetKey) ?? null, checks: { passed, failed: own.length - passed } };
    }),
  };
}

/**
 * Events after `after` (the events table's id is the cursor), of one run or of all.
 * A page holds at most `limit`; a client that got a full page asks again at once.
 */
export function eventPage(storage: RunStorage, options: { after: number; runId?: string; limit: number }): EventPage {
  const events =
    options.runId === undefined
      ? storage.eventsAfter(options.after, options.limit)
      : storage.events(options.runId, { afterId: options.after, limit: options.limit });
  return { events, cursor: events.at(-1)?.id ?? options.after, more: events.length === options.limit };
}

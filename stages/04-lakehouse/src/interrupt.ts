import { CliError, countOf } from '@mart/shared';
import { type CommitCleanup, describeCleanup } from './ducklake/write/commit-snapshot.ts';
import type { ObjectStore } from './object-store.ts';

/**
 * Ctrl-C (SIGINT) or SIGTERM arrived during a write command. Raised at the next safe
 * point (before an upload, before the commit), so the command can undo what it did
 * instead of dying half-way. Exit code 130, the shell's code for "ended by SIGINT".
 */
export class InterruptedError extends CliError {
  readonly signal: NodeJS.Signals;

  constructor(signal: NodeJS.Signals, options: { hint?: string } = {}) {
    super('interrupted: nothing committed', { exitCode: 130, ...options });
    this.name = 'InterruptedError';
    this.signal = signal;
  }
}

/** While a write command runs: signals become an aborted `signal` instead of ending the process. */
export interface InterruptTrap {
  /** Aborted (with an InterruptedError as its reason) once SIGINT or SIGTERM arrived. */
  readonly signal: AbortSignal;
  /** Throws the InterruptedError if a signal arrived: call between steps. */
  check(): void;
  /** Gives signals back to Node (Ctrl-C ends the process at once); idempotent. */
  release(): void;
}

/**
 * Catches SIGINT and SIGTERM for the duration of a write command. The first one aborts
 * `signal`, and the command cleans up at its next safe point; a second one ends the
 * process at once (exit 130), for when the clean-up itself hangs.
 *
 * @example
 * const interrupt = trapInterrupts();
 * try { …; interrupt.check(); … } finally { interrupt.release(); }
 */
export function trapInterrupts(): InterruptTrap {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new InterruptedError(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    check: () => controller.signal.throwIfAborted(),
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * The store, stopping before each upload, download or listing once the trap has sprung.
 * Deletes are never stopped: cleaning up uses them.
 *
 * @example
 * const store = interruptibleStore(lake.store, interrupt);
 */
export function interruptibleStore(store: ObjectStore, interrupt: Pick<InterruptTrap, 'check'>): ObjectStore {
  return {
    description: store.description,
    urlPrefix: store.urlPrefix,
    put: async (key, localPath) => {
      interrupt.check();
      await store.put(key, localPath);
    },
    get: async (key, localPath) => {
      interrupt.check();
      await store.get(key, localPath);
    },
    getRange: async (key, start, end) => {
      interrupt.check();
      return store.getRange(key, start, end);
    },
    list: async (prefix) => {
      interrupt.check();
      return store.list(prefix);
    },
    delete: (keys) => store.delete(keys),
  };
}

/**
 * The hint of the "interrupted: nothing committed" message: what was cleaned up.
 *
 * @example
 * interruptedHint({ rolledBack: true, deleted: ['lake/a', 'lake/b'], leftBehind: [], problems: [] }, 'commit')
 * // → 'Rolled back the catalog transaction and deleted the 2 objects this commit had uploaded.'
 */
export function interruptedHint(cleanup: CommitCleanup | undefined, what: 'commit' | 'ingest'): string {
  if (!cleanup) return 'Stopped before anything was uploaded: the lake is as it was.';
  const lines: string[] = [];
  const deleted = cleanup.deleted.length;
  const undone =
    deleted === 0
      ? 'nothing had been uploaded yet'
      : `deleted the ${countOf(deleted, 'object')} this ${what} had uploaded`;
  lines.push(
    what === 'commit'
      ? `Rolled back the catalog transaction and ${undone}.`
      : `${undone[0]?.toUpperCase()}${undone.slice(1)}.`,
  );
  const problems = describeCleanup(cleanup, what);
  if (problems) lines.push(problems);
  return lines.join('\n');
}

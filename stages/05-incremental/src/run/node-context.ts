import { CliError } from '@mart/shared';
import type { IncrementalPieces } from '../given/pieces.ts';
import type { CompiledNode, CompileOptions, NodeCompiler } from '../manifest/compiler.ts';
import type { Manifest, ManifestNode } from '../manifest/types.ts';
import type { DbtProject } from '../project/types.ts';
import { NodeError } from './node-error.ts';
import type { NodeSession } from './node-session.ts';
import type { ModelState } from './run-state.ts';
import type { AdapterResponse, BatchResults, FailingRowsSample, NodeEvent, NodeStatus, TimingInfo } from './types.ts';

/** Everything one node's materialization (or seed, snapshot, test) works with. */
export interface NodeContext {
  /** The worker's connection; statements that change things go through `execute`. */
  session: NodeSession;
  project: DbtProject;
  manifest: Manifest;
  compiler: NodeCompiler;
  pieces: IncrementalPieces;
  node: ManifestNode;
  /** `--full-refresh` as given; a node's `full_refresh` config overrides it (see {@link shouldFullRefresh}). */
  fullRefresh: boolean;
  /** This run's time: snapshots' `dbt_valid_from`, microbatch's end, built_at. */
  now: Date;
  /** The model's run state as saved before this run (read once per run); undefined if never built. */
  savedState: ModelState | undefined;
  /** `--event-time-start` / `--event-time-end` (both or neither). */
  eventTimeStart?: string;
  eventTimeEnd?: string;
  /** Compiles the node (the first compile is timed as dbt's `compile` phase); errors become Compilation Errors. */
  compile(options: CompileOptions): CompiledNode;
  /** Live progress (microbatch batches). */
  emit(event: NodeEvent): void;
}

/** What a node's work reports; the executor adds timing, thread and the node. */
export interface NodeOutcome {
  status: NodeStatus;
  message: string | null;
  rowsAffected: number | null;
  adapterResponse?: AdapterResponse;
  compiled: boolean | null;
  compiledCode: string | null;
  relationName: string | null;
  failures?: number | null;
  batchResults?: BatchResults | null;
  warnings?: string[];
  sample?: FailingRowsSample | null;
}

/** dbt's `should_full_refresh()`: the node's `full_refresh` config if set, else the flag. */
export function shouldFullRefresh(node: ManifestNode, flag: boolean): boolean {
  const configured = node.config.full_refresh;
  return typeof configured === 'boolean' ? configured : flag;
}

/** Times a node's phases the way dbt does: compile, then execute (recorded only when it finishes). */
export class PhaseTimer {
  readonly timing: TimingInfo[] = [];
  readonly #startedAt = new Date();
  #executeFrom: Date | undefined;

  /** Runs a compile; the first one is the node's compile phase. */
  compile<T>(work: () => T): T {
    if (this.#executeFrom !== undefined) return work();
    const started = new Date();
    const result = work();
    const completed = new Date();
    this.timing.push({ name: 'compile', startedAt: isoTime(started), completedAt: isoTime(completed) });
    this.#executeFrom = completed;
    return result;
  }

  /** Records the execute phase as ending now. */
  executed(): void {
    const started = this.#executeFrom ?? this.#startedAt;
    this.timing.push({ name: 'execute', startedAt: isoTime(started), completedAt: isoTime(new Date()) });
  }

  /** Seconds since the node started. */
  elapsed(): number {
    return (Date.now() - this.#startedAt.getTime()) / 1000;
  }
}

/** Compiles through the project's compiler, turning its errors into the node's Compilation Error. */
export function compileWith(
  compiler: NodeCompiler,
  node: ManifestNode,
  options: CompileOptions,
  timer: PhaseTimer,
  logs: string[],
): CompiledNode {
  return timer.compile(() => {
    try {
      const compiled = compiler.compile(node, options);
      logs.push(...compiled.logs);
      return compiled;
    } catch (error) {
      if (error instanceof NodeError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new NodeError('Compilation', message, {
        cause: error,
        ...(error instanceof CliError && error.hint ? { hint: error.hint } : {}),
      });
    }
  });
}

/**
 * dbt's time format in artifacts: UTC ISO with microseconds and `Z`.
 *
 * @example
 * isoTime(new Date('2024-05-01T10:00:00.123Z')) // → '2024-05-01T10:00:00.123000Z'
 */
export function isoTime(time: Date): string {
  return time.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

import { CliError, type Database, NotImplementedError, quoteQualified, UsageError } from '@mart/shared';
import { runDataTest } from '../data-tests/run-data-test.ts';
import type { IncrementalPieces } from '../given/pieces.ts';
import type { NodeCompiler } from '../manifest/compiler.ts';
import type { Manifest, ManifestNode } from '../manifest/types.ts';
import { materializeModel } from '../materializations/materialize-model.ts';
import type { DbtProject } from '../project/types.ts';
import { runSeed } from '../seeds/load-seed.ts';
import { runSnapshot } from '../snapshots/run-snapshot.ts';
import { type ExecuteCommand, executionDependencies, orderedNodes, runnableNodes } from './execution-graph.ts';
import { compileWith, type NodeContext, type NodeOutcome, PhaseTimer } from './node-context.ts';
import { describeNodeFailure } from './node-error.ts';
import { NodeSession } from './node-session.ts';
import { relationSql } from './relations.ts';
import { ensureRunState, type ModelState, readRunState } from './run-state.ts';
import type { NodeEvent, NodeResult, NodeStatus } from './types.ts';

/** Options for {@link executeNodes}. */
export interface ExecuteNodesOptions {
  /** The target warehouse, open for writing; each worker gets its own connection to it. */
  db: Database;
  project: DbtProject;
  manifest: Manifest;
  compiler: NodeCompiler;
  /** The exercise pieces (the reference ones, or the learner's under `--mine`). */
  pieces: IncrementalPieces;
  /** Unique ids chosen by the selection; those the command does not run are ignored. */
  selected: string[];
  command: ExecuteCommand;
  /** `--full-refresh` (a node's `full_refresh` config overrides it). */
  fullRefresh: boolean;
  /** `--threads`: how many nodes may run at once. */
  threads: number;
  /** `--fail-fast`: after the first error or failed test, start nothing more. */
  failFast: boolean;
  /** `--event-time-start` / `--event-time-end`: microbatch models process exactly this window (both or neither). */
  eventTimeStart?: string;
  eventTimeEnd?: string;
  /** This run's time (snapshots' validity, microbatch's end, run state). */
  now: Date;
  /** The pieces are the learner's (`--mine`): their SQL errors name the exercise. */
  mine?: boolean;
  /**
   * Ctrl-C: once aborted, nodes not started yet are skipped, and the ones running finish
   * (each commits or rolls back on its own), so the warehouse never holds half a node.
   */
  signal?: AbortSignal;
  /** Live progress: a node started, a microbatch batch finished, a node finished (or was skipped). */
  onEvent(event: NodeEvent): void;
}

/** Why a node did not run after Ctrl-C (see ExecuteNodesOptions.signal); commands count them by it. */
export const interruptedBeforeStart = 'the run was interrupted (Ctrl-C) before it started';

/** Statuses after which the node's dependents do not run. */
const blocking: ReadonlySet<NodeStatus> = new Set(['error', 'fail', 'partial success', 'skipped']);

/**
 * Executes the selected nodes of one command (`run`, `seed`, `snapshot`, `test`, `build`)
 * and returns one result per node, in the run's order (dbt's run_results entries).
 *
 * The order comes from the dagOrder piece; up to `threads` nodes whose dependencies are
 * done run at once, each worker on its own connection (DuckDB's MVCC isolates their
 * transactions). `build` runs seeds, models, snapshots and tests, each node's tests
 * before anything built from it, so a failing error-severity test skips those (dbt's
 * build). A node that errors skips its descendants, with a message naming it; with
 * `failFast` nothing new starts after the first failure. Every node changes the
 * warehouse in one transaction, so a failing node leaves its previous version.
 *
 * Node failures are results, not exceptions; executeNodes throws only for what stops
 * the whole run (a DAG cycle, an unusable order, a schema it cannot create).
 *
 * @example
 * const results = await executeNodes({ db, project, manifest, compiler, pieces, selected,
 *   command: 'build', fullRefresh: false, threads: 4, failFast: false, now: new Date(),
 *   onEvent: (event) => print(event) });
 */
export async function executeNodes(options: ExecuteNodesOptions): Promise<NodeResult[]> {
  checkEventTimeRange(options);
  const nodes = runnableNodes(options.manifest, options.selected, options.command);
  if (nodes.length === 0) return [];
  const dependencies = executionDependencies(options.manifest, nodes, { testEdges: options.command === 'build' });
  const order = orderedNodes(options.pieces, dependencies);
  const savedStates = await prepareTarget(options, nodes);

  const threads = Math.max(1, Math.floor(Number.isFinite(options.threads) ? options.threads : 1));
  const results = new Map<string, NodeResult>();
  /** For every node whose dependents must not run: the node that failed first on its way. */
  const failedAncestor = new Map<string, string>();
  const pending = [...order];
  const running = new Map<string, Promise<void>>();
  const position = new Map(order.map((id, i) => [id, i + 1]));
  let stoppedAfter: string | null = null;
  let eventError: unknown;
  // An untouched exercise (--mine) stops the whole run with its own message and hint
  // command, as in every stage, instead of failing one node after another.
  let notImplemented: NotImplementedError | undefined;
  const emit = (event: NodeEvent) => {
    try {
      options.onEvent(event);
    } catch (error) {
      eventError ??= error;
    }
  };

  const finish = (result: NodeResult) => {
    results.set(result.uniqueId, result);
    if (result.cause instanceof NotImplementedError) {
      notImplemented ??= result.cause;
      stoppedAfter ??= result.uniqueId;
    }
    if (blocking.has(result.status)) {
      failedAncestor.set(result.uniqueId, failedAncestor.get(result.uniqueId) ?? result.uniqueId);
      if (options.failFast && result.status !== 'skipped') stoppedAfter ??= result.uniqueId;
    }
    emit({
      type: 'finished',
      node: result.node,
      index: position.get(result.uniqueId) ?? 0,
      total: order.length,
      result,
    });
  };

  const slots = await openWorkers(options.db, Math.min(threads, order.length));
  try {
    while (pending.length > 0 || running.size > 0) {
      for (let i = 0; i < pending.length; ) {
        const id = pending[i] as string;
        const node = options.manifest.nodes.get(id) as ManifestNode;
        if (stoppedAfter !== null || options.signal?.aborted) {
          pending.splice(i, 1);
          const why = options.signal?.aborted
            ? interruptedBeforeStart
            : notImplemented
              ? `${notImplemented.exercise} is not implemented yet`
              : `--fail-fast stopped the run after ${stoppedAfter} failed`;
          finish(skippedResult(node, `Skipped: ${why}.`));
          continue;
        }
        const waits = dependencies.get(id) ?? [];
        if (waits.some((dep) => !results.has(dep))) {
          i++;
          continue;
        }
        const blocker = waits.map((dep) => failedAncestor.get(dep)).find((cause) => cause !== undefined);
        if (blocker !== undefined) {
          pending.splice(i, 1);
          failedAncestor.set(id, blocker);
          finish(skippedResult(node, skipMessage(blocker, results.get(blocker)?.status)));
          continue;
        }
        const slot = slots.find((s) => !s.busy);
        if (!slot) break;
        pending.splice(i, 1);
        slot.busy = true;
        emit({ type: 'started', node, index: position.get(id) ?? 0, total: order.length, threadId: slot.threadId });
        const work = runNode(options, node, slot, emit, savedStates.get(id))
          .then(finish)
          .finally(() => {
            slot.busy = false;
            running.delete(id);
          });
        running.set(id, work);
      }
      if (running.size === 0) {
        // Every pending node waits for one that neither ran nor is running: a bug here.
        if (pending.length > 0) throw new Error(`executeNodes: ${pending.join(', ')} can never become ready.`);
        break;
      }
      await Promise.race(running.values());
    }
  } finally {
    await Promise.allSettled(running.values());
    for (const slot of slots) slot.db.close();
  }
  if (eventError !== undefined) throw eventError;
  if (notImplemented) throw notImplemented;
  return order.map((id) => results.get(id)).filter((result): result is NodeResult => result !== undefined);
}

/** One worker: its connection and dbt-style thread name. */
interface WorkerSlot {
  db: Database;
  threadId: string;
  busy: boolean;
}

async function openWorkers(db: Database, count: number): Promise<WorkerSlot[]> {
  const slots: WorkerSlot[] = [];
  try {
    for (let i = 0; i < count; i++)
      slots.push({ db: await db.connect(), threadId: `Thread-${i + 1} (worker)`, busy: false });
  } catch (error) {
    for (const slot of slots) slot.db.close();
    throw error;
  }
  return slots;
}

/** Runs one node on a worker and turns what happened into its result (errors included). */
async function runNode(
  options: ExecuteNodesOptions,
  node: ManifestNode,
  slot: WorkerSlot,
  emit: (event: NodeEvent) => void,
  savedState: ModelState | undefined,
): Promise<NodeResult> {
  const timer = new PhaseTimer();
  const logs: string[] = [];
  const session = new NodeSession(slot.db);
  /** The last SQL the node compiled to, kept for an error result (dbt reports it too). */
  let lastCompiled: string | null = null;
  const ctx: NodeContext = {
    session,
    project: options.project,
    manifest: options.manifest,
    compiler: options.compiler,
    pieces: options.pieces,
    node,
    fullRefresh: options.fullRefresh,
    now: options.now,
    savedState,
    ...(options.eventTimeStart !== undefined ? { eventTimeStart: options.eventTimeStart } : {}),
    ...(options.eventTimeEnd !== undefined ? { eventTimeEnd: options.eventTimeEnd } : {}),
    compile: (compileOptions) => {
      const compiled = compileWith(options.compiler, node, compileOptions, timer, logs);
      lastCompiled = compiled.sql;
      return compiled;
    },
    emit,
  };
  const base = {
    node,
    uniqueId: node.uniqueId,
    threadId: slot.threadId,
    executedSql: session.executed,
    logs,
  };
  try {
    // Seeds have nothing to compile; dbt still times an (empty) compile phase.
    if (node.resourceType === 'seed') timer.compile(() => undefined);
    const outcome = await dispatch(ctx);
    timer.executed();
    return {
      ...base,
      ...outcomeFields(outcome),
      timing: timer.timing,
      executionTime: timer.elapsed(),
    };
  } catch (error) {
    return {
      ...base,
      status: 'error',
      timing: timer.timing,
      executionTime: timer.elapsed(),
      adapterResponse: {},
      message: describeNodeFailure(node, error, options.project, { mine: options.mine ?? false }),
      failures: null,
      compiled: node.resourceType === 'seed' ? null : lastCompiled !== null,
      compiledCode: lastCompiled,
      relationName: node.resourceType === 'test' ? null : relationSql(node.relation),
      batchResults: null,
      rowsAffected: null,
      warnings: [],
      sample: null,
      cause: error,
    };
  }
}

function dispatch(ctx: NodeContext): Promise<NodeOutcome> {
  switch (ctx.node.resourceType) {
    case 'model':
      return materializeModel(ctx);
    case 'seed':
      return runSeed(ctx);
    case 'snapshot':
      return runSnapshot(ctx);
    case 'test':
      return runDataTest(ctx);
  }
}

function outcomeFields(outcome: NodeOutcome) {
  return {
    status: outcome.status,
    adapterResponse: outcome.adapterResponse ?? {},
    message: outcome.message,
    failures: outcome.failures ?? null,
    compiled: outcome.compiled,
    compiledCode: outcome.compiledCode,
    relationName: outcome.relationName,
    batchResults: outcome.batchResults ?? null,
    rowsAffected: outcome.rowsAffected,
    warnings: outcome.warnings ?? [],
    sample: outcome.sample ?? null,
  };
}

/** dbt's skip result: no timing, no response; the message says which node's failure it follows. */
function skippedResult(node: ManifestNode, message: string): NodeResult {
  return {
    node,
    uniqueId: node.uniqueId,
    status: 'skipped',
    timing: [],
    threadId: 'main',
    executionTime: 0,
    adapterResponse: {},
    message,
    failures: null,
    compiled: null,
    compiledCode: null,
    relationName: node.resourceType === 'test' ? null : relationSql(node.relation),
    batchResults: null,
    rowsAffected: null,
    executedSql: [],
    logs: [],
    warnings: [],
    sample: null,
  };
}

function skipMessage(blocker: string, status: NodeStatus | undefined): string {
  const what =
    status === 'fail' ? 'failed' : status === 'partial success' ? 'only partly succeeded' : 'failed with an error';
  return `Skipped because ${blocker} ${what}.`;
}

/** `--event-time-start` and `--event-time-end` come together, as times, start before end. */
function checkEventTimeRange(options: ExecuteNodesOptions): void {
  const { eventTimeStart: start, eventTimeEnd: end } = options;
  if (start === undefined && end === undefined) return;
  if (start === undefined || end === undefined) {
    throw new UsageError('--event-time-start and --event-time-end must be given together.', {
      hint: 'e.g. --event-time-start 2024-03-01 --event-time-end 2024-03-03 re-runs those two days.',
    });
  }
  const [from, to] = [Date.parse(start), Date.parse(end)];
  if (Number.isNaN(from) || Number.isNaN(to)) {
    throw new UsageError(
      `--event-time-start/--event-time-end must be dates or times, not "${Number.isNaN(from) ? start : end}".`,
    );
  }
  if (from >= to) throw new UsageError(`--event-time-start (${start}) must be before --event-time-end (${end}).`);
}

/**
 * Before any worker starts: every schema the nodes build into, and the run-state table
 * (created once here, serially, so concurrent transactions never race to create them).
 * Returns every model's saved state, read once for the run: only a model's own node
 * writes its row, so what was saved before the run is what each node needs.
 */
async function prepareTarget(
  options: ExecuteNodesOptions,
  nodes: readonly ManifestNode[],
): Promise<ReadonlyMap<string, ModelState>> {
  const schemas = new Map<string, ManifestNode>();
  for (const node of nodes) {
    if (node.resourceType === 'test' && node.config.store_failures !== true) continue;
    const key = quoteQualified(node.relation.database, node.relation.schema);
    if (!schemas.has(key)) schemas.set(key, node);
  }
  for (const [schema, node] of schemas) {
    try {
      await options.db.run(`create schema if not exists ${schema}`);
    } catch (error) {
      throw new CliError(
        `Cannot create the schema ${schema} for ${node.uniqueId}: ${error instanceof Error ? error.message : String(error)}`,
        { hint: 'Check the node’s database/schema config: it must name the target database.', cause: error },
      );
    }
  }
  if (!nodes.some((node) => node.resourceType === 'model')) return new Map();
  await ensureRunState(options.db, options.project.target.database);
  const states = await readRunState(options.db, options.project.target.database);
  return new Map(states.map((state) => [state.uniqueId, state]));
}

import { randomUUID } from 'node:crypto';
import { log } from '@clack/prompts';
import {
  type CommandContext,
  countOf,
  Database,
  positiveInteger,
  renderTable,
  UsageError,
  writeLine,
} from '@mart/shared';
import { trapInterrupts } from '@mart/stage-04-lakehouse';
import { writeCompiledFile } from '../artifacts/compiled-files.ts';
import { writeManifestJson } from '../artifacts/manifest-json.ts';
import { writeRunResults } from '../artifacts/run-results.ts';
import { readStateManifest } from '../artifacts/state-manifest.ts';
import { lakeDatabase, mountLake } from '../lake/mount-lake.ts';
import type { ResourceType } from '../manifest/types.ts';
import { executeNodes, interruptedBeforeStart } from '../run/execute-nodes.ts';
import type { ExecuteCommand } from '../run/execution-graph.ts';
import type { NodeEvent, NodeResult } from '../run/types.ts';
import { selectNodes } from '../selection/select-nodes.ts';
import { openProject } from './open-project.ts';
import { describeNode, describeOutcome, statusWord } from './progress-lines.ts';
import { projectChoice } from './project-options.ts';

/** The resource types each command runs, as in dbt. */
export const commandResourceTypes: Record<ExecuteCommand, ResourceType[]> = {
  run: ['model'],
  seed: ['seed'],
  snapshot: ['snapshot'],
  test: ['test'],
  build: ['seed', 'model', 'snapshot', 'test'],
};

/** The options of seed, run, test, snapshot and build, as the command line gives them. */
export interface RunNodesOptions {
  'project-dir': string;
  'target-path': string | undefined;
  vars: string | undefined;
  'profiles-dir': string | undefined;
  target: string | undefined;
  select: string[];
  exclude: string[];
  state: string | undefined;
  'full-refresh': boolean;
  threads: string | undefined;
  'fail-fast': boolean;
  'event-time-start': string | undefined;
  'event-time-end': string | undefined;
}

/**
 * One dbt command over the project: parse it, select the nodes, mount the lake if the
 * project reads it, run them (in DAG order, `threads` at a time), print each node's
 * outcome as it finishes, and write manifest.json, run_results.json and the compiled
 * and executed SQL. Exit code 1 when any node errored or a test failed, like dbt; 130
 * after Ctrl-C, which lets the running nodes finish and starts no more.
 */
export async function runNodes(
  context: CommandContext & { options: RunNodesOptions },
  command: ExecuteCommand,
): Promise<number> {
  const { options, io, paths } = context;
  const output = io.output;
  const started = performance.now();
  const startedAt = new Date();
  const threads = positiveInteger(options.threads, 'threads');
  if ((options['event-time-start'] === undefined) !== (options['event-time-end'] === undefined)) {
    throw new UsageError('--event-time-start and --event-time-end go together.', {
      hint: 'Give both, e.g. --event-time-start 2025-01-03 --event-time-end 2025-01-05.',
    });
  }
  const choice = projectChoice(options, paths);
  const opened = await openProject(context, choice, { threads });
  const selected = selectNodes(opened.manifest, {
    select: options.select,
    exclude: options.exclude,
    resourceTypes: commandResourceTypes[command],
    stateManifest: options.state === undefined ? undefined : readStateManifest(paths.resolve(options.state)),
    onWarning: (message) => log.warn(message, { output }),
  });
  if (selected.length === 0) {
    log.warn('Nothing to do: no nodes selected.', { output });
    return 0;
  }

  // Ctrl-C from here on stops the run between nodes instead of killing the process in
  // the middle of one; a second Ctrl-C ends it at once (DuckDB then rolls back what the
  // running node had not committed, the next time the file opens).
  const interrupt = trapInterrupts();
  try {
    return await runSelected(context, command, opened, selected, {
      started,
      startedAt,
      choice,
      signal: interrupt.signal,
    });
  } finally {
    interrupt.release();
  }
}

/** The selected nodes run, the artifacts written and the outcome printed; the exit code. */
async function runSelected(
  context: CommandContext & { options: RunNodesOptions },
  command: ExecuteCommand,
  opened: Awaited<ReturnType<typeof openProject>>,
  selected: string[],
  run: { started: number; startedAt: Date; choice: ReturnType<typeof projectChoice>; signal: AbortSignal },
): Promise<number> {
  const { options, io, paths } = context;
  const output = io.output;
  const { project, manifest, compiler, pieces } = opened;
  const { started, startedAt, choice } = run;
  const db = await Database.open(project.target.path);
  let results: NodeResult[];
  try {
    // The lake is mounted only for projects that read it (the stage's own, or yours if it
    // names database `lake` in its sources); the clock of those runs is the lake's.
    const readsLake = [...manifest.sources.values()].some((source) => source.relation.database === lakeDatabase);
    let now = new Date();
    if (readsLake && command !== 'seed') {
      const mounted = await mountLake(db, context);
      log.info(
        `Lake mounted: ${countOf(mounted.tables.length, 'table')} at snapshot ${mounted.snapshotId}` +
          `${mounted.newestDay ? `, newest sales day ${mounted.newestDay}` : ''}.`,
        { output },
      );
      if (mounted.clock) now = mounted.clock;
    }
    log.step(
      `Running ${countOf(selected.filter((id) => manifest.nodes.get(id)?.config.materialized !== 'ephemeral').length, 'node')} of ${project.name} into ${paths.shown(project.target.path)} ` +
        `with ${countOf(project.target.threads, 'thread')}${options['full-refresh'] ? ' (full refresh)' : ''}.`,
      { output },
    );
    results = await executeNodes({
      db,
      project,
      manifest,
      compiler,
      pieces,
      selected,
      command,
      fullRefresh: options['full-refresh'],
      threads: project.target.threads,
      failFast: options['fail-fast'],
      ...(options['event-time-start'] === undefined ? {} : { eventTimeStart: options['event-time-start'] }),
      ...(options['event-time-end'] === undefined ? {} : { eventTimeEnd: options['event-time-end'] }),
      now,
      mine: context.mine.covers(5, '05-incremental'),
      signal: run.signal,
      onEvent: (event) => printEvent(event, context),
    });
  } finally {
    db.close();
  }

  // The artifacts, as dbt writes them into its target path.
  const invocationId = randomUUID();
  const compiled = new Map<string, { sql: string; extraCtes: [] }>();
  for (const result of results) {
    if (result.compiledCode === null) continue;
    compiled.set(result.uniqueId, { sql: result.compiledCode, extraCtes: [] });
    writeCompiledFile(project.targetPath, result.node, result.compiledCode, 'compiled');
  }
  writeManifestJson(manifest, {
    projectRoot: project.root,
    targetPath: project.targetPath,
    compiled,
    invocationId,
    startedAt,
  });
  const elapsed = (performance.now() - started) / 1000;
  writeRunResults({
    project,
    results,
    elapsedTime: elapsed,
    invocationId,
    args: {
      which: command,
      select: options.select,
      exclude: options.exclude,
      full_refresh: options['full-refresh'],
      threads: project.target.threads,
      vars: choice.vars,
      project_dir: project.root,
      target_path: project.targetPath,
    },
  });
  printSummary(results, context, elapsed);
  log.info(`Artifacts: ${paths.shown(project.targetPath)}/ (manifest.json, run_results.json, compiled/, run/)`, {
    output,
  });
  if (run.signal.aborted) {
    const notStarted = results.filter((result) => result.message?.includes(interruptedBeforeStart)).length;
    log.error(
      `Interrupted (Ctrl-C): ${countOf(results.length - notStarted, 'node')} finished and kept, ${notStarted} not started. ` +
        'Each node commits on its own, so none is half-built. Run the same command again to go on: ' +
        'incremental models continue from what they hold.',
      { output },
    );
    return 130;
  }
  const failed = results.some((result) => ['error', 'fail', 'partial success'].includes(result.status));
  return failed ? 1 : 0;
}

/** One line per finished node (and per microbatch batch), as dbt prints them. */
function printEvent(event: NodeEvent, context: Pick<CommandContext, 'io'>): void {
  const output = context.io.output;
  if (event.type === 'started') return;
  if (event.type === 'batch') {
    if (event.status === 'error') {
      log.warn(
        `  batch ${event.batch}/${event.batches} of ${event.node.name} (${event.window.start}) failed: ${event.message ?? ''}`,
        {
          output,
        },
      );
    }
    return;
  }
  const { result } = event;
  const line = `${event.index} of ${event.total} ${statusWord(result.status)} ${describeNode(result.node)} [${describeOutcome(result)}]`;
  if (result.status === 'error' || result.status === 'fail') log.error(line, { output });
  else if (result.status === 'warn' || result.status === 'skipped' || result.status === 'partial success') {
    log.warn(line, { output });
  } else log.success(line, { output });
  // A node's warnings (its SQL changed since its last full build, a config value that is
  // ignored…) under its line: run_results.json has them in `message`, but a learner reads
  // the terminal.
  for (const warning of result.warnings) log.warn(`${result.node.name}: ${warning}`, { output });
}

/** The table of nodes, the totals line, every error in full and the failing tests' rows. */
function printSummary(
  results: readonly NodeResult[],
  context: Pick<CommandContext, 'io' | 'color' | 'paths'>,
  elapsed: number,
): void {
  const { io, color, paths } = context;
  const output = io.output;
  const count = (...statuses: string[]) => results.filter((result) => statuses.includes(result.status)).length;
  // Models, seeds and snapshots with their rows and time; tests are counted in the totals.
  const built = results.filter((result) => result.node.resourceType !== 'test');
  if (built.length > 0)
    log.message(
      renderTable(
        built.map((result) => ({
          node: result.node.name,
          type:
            result.node.resourceType === 'model' ? String(result.node.config.materialized) : result.node.resourceType,
          status: result.status,
          rows: result.rowsAffected ?? result.failures,
          seconds: Number(result.executionTime.toFixed(2)),
        })),
        { compact: true, color },
      ),
      { output },
    );
  for (const result of results) {
    if (result.status === 'error' || result.status === 'partial success') {
      log.error(`${result.node.name}: ${result.message ?? 'failed'}`, { output });
    }
    if (result.sample && (result.status === 'fail' || result.status === 'warn')) {
      writeLine(
        io,
        `${result.node.name}: ${result.message ?? ''} First failing rows (all in ${paths.shown(result.sample.path)}):\n${renderTable(result.sample.rows.slice(0, 5), { color, compact: true })}`,
      );
    }
  }
  const totals = `PASS=${count('success', 'pass')} WARN=${count('warn')} ERROR=${count('error', 'fail', 'partial success')} SKIP=${count('skipped')} TOTAL=${results.length}`;
  const say =
    count('error', 'fail', 'partial success') > 0 ? log.error : count('warn', 'skipped') > 0 ? log.warn : log.success;
  say(`Done in ${elapsed.toFixed(1)} s. ${totals}`, { output });
}

import { type CommandContext, Database, quoteIdentifier, quoteQualified } from '@mart/shared';
import {
  ensureRunState,
  executeNodes,
  lakeDatabase,
  type ManifestNode,
  type MountedLake,
  mountLake,
  type NodeResult,
} from '@mart/stage-05-incremental';
import type { AssetGraph } from '../assets/asset-graph.ts';
import type { DbtNode } from '../assets/dbt-manifest.ts';
import type {
  AssetCheckResult,
  MaterializationLineage,
  MaterializeContext,
  MaterializeFn,
  MaterializeResult,
  MetadataValue,
} from '../assets/define-asset.ts';
import { addDays } from '../given/partition-keys.ts';
import { type DailyPartitionsDefinition, dailyPartitions, lastPartition } from '../partitions/daily-partitions.ts';
import type { CourseProject } from './course-project.ts';
import { type Relation, relationKey, tableColumns } from './table-columns.ts';

/** What one run of dbt assets shares: the warehouse, open once, and the lake, mounted once. */
interface DbtRunResources {
  db: Database;
  /** Mounts the lake the first time a node that reads it runs (all of them then share it). */
  mount(): Promise<MountedLake>;
  /** The run's "now": the lake's clock once mounted (stage 5's rule), else the real one. */
  now(): Date;
}

/**
 * Stage 5's nodes as assets: each dbt asset is materialized by stage 5's own engine,
 * `executeNodes` with `build` for that node and its tests (the asset's checks), as
 * dagster-dbt runs `dbt build --select <node>`. Per run, the warehouse (stage-05.duckdb)
 * is opened once and the lake mounted once (every step gets its own connection); the
 * project was parsed once for the command (see openCourseProject).
 *
 * A microbatch model is a partitioned asset (daily partitions from its `begin`): a run
 * over partitions hands stage 5 their window as `eventTimeStart`/`eventTimeEnd` (one
 * window for a whole range: single_run), and records a materialization per day with
 * that day's rows. Run without partitions, stage 5 picks its own batches (watermark and
 * lookback) and the days those batches covered are recorded.
 *
 * @example
 * const dbt = new DbtMaterializers(context, course);
 * const { graph } = courseAssetGraph({ manifest: course.dbtManifest, dbt: { materialize: (node) => dbt.materialize(node), partitions: (node) => dbt.partitions(node) } });
 * dbt.useGraph(graph);
 */
export class DbtMaterializers {
  readonly #context: Pick<CommandContext, 'mine' | 'paths' | 'env'>;
  readonly #course: CourseProject;
  readonly #runs = new Map<string, Promise<DbtRunResources>>();
  #graph: AssetGraph | undefined;

  constructor(context: Pick<CommandContext, 'mine' | 'paths' | 'env'>, course: CourseProject) {
    this.#context = context;
    this.#course = course;
  }

  /** The graph the dbt assets ended up in (for their checks). */
  useGraph(graph: AssetGraph): void {
    this.#graph = graph;
  }

  /**
   * Daily partitions for microbatch models, from their `begin`: stage 5 processes any
   * window asked for (rounded out to the model's batch size), so a day is a partition
   * whatever the batch size.
   */
  partitions(node: DbtNode): DailyPartitionsDefinition | undefined {
    const { materialized, incremental_strategy: strategy, begin } = node.config;
    if (materialized !== 'incremental' || strategy !== 'microbatch' || !begin) return undefined;
    return dailyPartitions({ start: begin.slice(0, 10) });
  }

  /** The materialize function of one node's asset. */
  materialize(node: DbtNode): MaterializeFn {
    return (context) => this.#materialize(node, context);
  }

  /** Closes what the run opened (the warehouse). Called when the run ends. */
  async closeRun(runId: string): Promise<void> {
    const resources = this.#runs.get(runId);
    this.#runs.delete(runId);
    if (!resources) return;
    try {
      (await resources).db.close();
    } catch {
      // It never opened: nothing to close.
    }
  }

  /** Closes every run's resources. */
  async close(): Promise<void> {
    await Promise.all([...this.#runs.keys()].map((runId) => this.closeRun(runId)));
  }

  async #materialize(node: DbtNode, context: MaterializeContext): Promise<MaterializeResult> {
    const course = this.#course;
    const stageNode = course.manifest.nodes.get(node.unique_id);
    if (!stageNode) throw new Error(`Stage 5's project has no node ${node.unique_id} any more.`);
    const resources = await this.#resources(context.runId);
    // Seeds read only their CSV file; every other node may read the lake.
    if (stageNode.resourceType !== 'seed') await resources.mount();
    context.signal.throwIfAborted();

    const checks = this.#graph?.has(context.assetKey) ? this.#graph.get(context.assetKey).checks : [];
    const testIds = new Map(
      checks.flatMap((check) => {
        const id = check.metadata?.dbt_unique_id;
        return typeof id === 'string' ? [[id, check.name] as const] : [];
      }),
    );
    const window = context.partitionTimeWindow;
    const connection = await resources.db.connect();
    let results: NodeResult[];
    try {
      results = await executeNodes({
        db: connection,
        project: course.project,
        manifest: course.manifest,
        compiler: course.compiler,
        pieces: course.pieces,
        selected: [node.unique_id, ...testIds.keys()],
        command: 'build',
        fullRefresh: false,
        threads: 1,
        failFast: false,
        ...(window ? { eventTimeStart: window.start, eventTimeEnd: window.end } : {}),
        now: resources.now(),
        onEvent: (event) => {
          if (event.type === 'batch') {
            context.log.info(
              `batch ${event.batch}/${event.batches} ${event.window.start} – ${event.window.end}: ${event.status}${event.rows === null ? '' : ` (${event.rows} rows)`}`,
            );
          }
        },
      });
    } finally {
      connection.close();
    }
    const result = results.find((entry) => entry.uniqueId === node.unique_id);
    if (!result) throw new Error(`Stage 5 did not run ${node.unique_id}.`);
    for (const statement of result.executedSql.slice(-1)) context.log.debug(statement.sql);
    if (result.status !== 'success') throw new Error(result.message ?? `${node.name} ended ${result.status}.`);

    const checkResults: Record<string, AssetCheckResult> = {};
    for (const test of results) {
      const name = testIds.get(test.uniqueId);
      if (name === undefined || test.status === 'skipped') continue;
      checkResults[name] = {
        passed: test.status === 'pass',
        severity: test.status === 'warn' ? 'warn' : 'error',
        ...(test.message ? { description: test.message } : {}),
        metadata: { dbt_status: test.status, failures: test.failures },
      };
    }
    const definition = this.partitions(node);
    const described = await this.#describe(resources, stageNode, context);
    return {
      ...(result.rowsAffected === null ? {} : { rows: result.rowsAffected }),
      metadata: {
        relation: result.relationName,
        materialization: String(stageNode.config.materialized),
        dbt_message: (result.message ?? '').split('\n')[0] ?? '',
        ...(window ? { event_time_start: window.start, event_time_end: window.end } : {}),
        ...described.metadata,
      },
      checks: checkResults,
      lineage: {
        ...(result.compiledCode ? { sql: result.compiledCode } : {}),
        ...(described.inputs.length > 0 ? { inputs: described.inputs } : {}),
      },
      ...(definition
        ? { partitions: await this.#partitionRows(resources, stageNode, result, context, definition) }
        : {}),
    };
  }

  /**
   * What the node's table looks like now, as dagster-dbt's `fetch_column_metadata` reads
   * it: its columns and types (`column_schema` metadata), and the columns of the tables
   * it read (for lineage), in one information_schema query. Only ever a description: a
   * failure here is logged and costs the description, never the materialization.
   */
  async #describe(
    resources: DbtRunResources,
    node: ManifestNode,
    context: MaterializeContext,
  ): Promise<{ metadata: Record<string, MetadataValue>; inputs: NonNullable<MaterializationLineage['inputs']> }> {
    const inputs = this.#readRelations(node);
    try {
      const columns = await tableColumns(resources.db, [node.relation, ...inputs]);
      const own = columns.get(relationKey(node.relation));
      return {
        metadata: own ? { column_schema: { columns: own } } : {},
        inputs: inputs.flatMap((relation) => {
          const found = columns.get(relationKey(relation));
          return found ? [{ relation, columns: found }] : [];
        }),
      };
    } catch (error) {
      context.log.debug(`Could not read the columns of ${node.name}: ${(error as Error).message}`);
      return { metadata: {}, inputs: [] };
    }
  }

  /** The relations a node's SQL reads: the nodes and sources it depends on, ephemeral models seen through. */
  #readRelations(node: ManifestNode, seen = new Set<string>()): Relation[] {
    const { manifest } = this.#course;
    return node.dependsOn.nodes.flatMap((id): Relation[] => {
      if (seen.has(id)) return [];
      seen.add(id);
      const source = manifest.sources.get(id);
      if (source) return [source.relation];
      const parent = manifest.nodes.get(id);
      if (!parent || parent.resourceType === 'test') return [];
      return parent.config.materialized === 'ephemeral' ? this.#readRelations(parent, seen) : [parent.relation];
    });
  }

  /**
   * The days a microbatch model just wrote, each with its rows: the run's partitions, or
   * (run without partitions) every day of the batches stage 5 processed, up to the last
   * partition that exists.
   */
  async #partitionRows(
    resources: DbtRunResources,
    node: ManifestNode,
    result: NodeResult,
    context: MaterializeContext,
    definition: DailyPartitionsDefinition,
  ): Promise<Record<string, { rows: number }>> {
    const last = lastPartition(definition, resources.now());
    let days: string[] = [...context.partitionKeys];
    if (days.length === 0) {
      const covered = new Set<string>();
      for (const [start, end] of result.batchResults?.successful ?? []) {
        for (let day = start.slice(0, 10); day < end.slice(0, 10); day = addDays(day, 1)) {
          if (day >= definition.start && last !== undefined && day <= last) covered.add(day);
        }
      }
      days = [...covered].sort();
    }
    const eventTime = String(node.config.event_time ?? '');
    const counts = new Map<string, number>();
    if (days.length > 0 && eventTime !== '' && result.relationName) {
      const rows = await resources.db.all<{ day: string; n: number }>(
        `select strftime(cast(${quoteIdentifier(eventTime)} as date), '%Y-%m-%d') as day, count(*) as n
           from ${result.relationName}
          where ${quoteIdentifier(eventTime)} >= cast($1 as date) and ${quoteIdentifier(eventTime)} < cast($2 as date)
          group by 1`,
        [days[0] as string, addDays(days.at(-1) as string, 1)],
      );
      for (const row of rows) counts.set(row.day, Number(row.n));
    }
    return Object.fromEntries(days.map((day) => [day, { rows: counts.get(day) ?? 0 }]));
  }

  #resources(runId: string): Promise<DbtRunResources> {
    const known = this.#runs.get(runId);
    if (known) return known;
    const opening = this.#open();
    this.#runs.set(runId, opening);
    return opening;
  }

  async #open(): Promise<DbtRunResources> {
    const { project, manifest } = this.#course;
    const db = await Database.open(project.target.path);
    try {
      // What executeNodes creates before its workers start, created here once: steps run
      // at the same time, and two transactions creating one schema would conflict.
      const schemas = new Set<string>();
      for (const node of manifest.nodes.values()) {
        if (node.resourceType === 'test' && node.config.store_failures !== true) continue;
        schemas.add(quoteQualified(node.relation.database, node.relation.schema));
      }
      for (const schema of schemas) await db.run(`create schema if not exists ${schema}`);
      await ensureRunState(db, project.target.database);
    } catch (error) {
      db.close();
      throw error;
    }
    let mounted: Promise<MountedLake> | undefined;
    let clock: Date | undefined;
    return {
      db,
      mount: () => {
        mounted ??= mountLake(db, this.#context).then(
          (lake) => {
            clock = lake.clock;
            return lake;
          },
          async (error: unknown) => {
            // Let a retry mount again, from scratch.
            mounted = undefined;
            await db.run(`detach database if exists ${quoteIdentifier(lakeDatabase)}`).catch(() => {});
            throw error;
          },
        );
        return mounted;
      },
      now: () => clock ?? new Date(),
    };
  }
}

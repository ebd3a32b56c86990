// ─── LINEAGE CALL SITE ────────────────────────────────────────────────────────────
// The one place where `materialize` hands its runs to the lineage emitter (src/lineage/).
// The executor only knows the two observer interfaces below; everything OpenLineage is
// behind them. The facets come from what each step reported: `column_schema` metadata
// (schema), `lineage.sql` (sql, and columnLineage derived from it), `lineage.inputs` (the
// schema of what a stage 5 model read), rows (outputStatistics); raw files' schemas are
// their CSV headers.
import { join } from 'node:path';
import { type CommandContext, readLakeConfig } from '@mart/shared';
import { catalogPath } from '@mart/stage-04-lakehouse';
import type { AssetGraph } from '../assets/asset-graph.ts';
import { defaultSourceKey } from '../assets/dbt-assets.ts';
import type { MaterializeResult, MetadataValue, ReadTable } from '../assets/define-asset.ts';
import type { AssetKey, ColumnLineageInputField, Dataset, SchemaField } from '../given/index.ts';
import type { OrchestrationPieces } from '../given/pieces.ts';
import {
  type AssetStepLineage,
  ColumnLineageSession,
  csvHeader,
  type DatasetRef,
  duckdbDataset,
  ducklakeDataset,
  fileDataset,
  LineageEmitter,
  lineageDataset,
  lineageDir,
  lineageProducer,
  type SqlTable,
  s3Dataset,
  sqlTableResolver,
} from '../lineage/index.ts';
import type { CourseProject } from '../materializers/course-project.ts';
import type { RunObserver } from '../run/execute-run.ts';
import type { RunLifecycleObserver } from '../run/materialize-run.ts';

/** What the materialize command plugs into its runs for lineage. */
export interface CourseLineage {
  lifecycle: RunLifecycleObserver;
  observer: RunObserver;
  /** Waits for the events still being prepared and for the HTTP sink (if any); returns the line to print (none when nothing was emitted). */
  close(): Promise<string | undefined>;
}

/** Options for {@link courseLineage}. */
export interface CourseLineageOptions {
  context: Pick<CommandContext, 'paths' | 'env'>;
  graph: AssetGraph;
  course: CourseProject;
  /** The raw files' folder. */
  inputDir: string;
  pieces: Pick<OrchestrationPieces, 'assetLineageEvent'>;
  /** Told why a facet was left out or is partial (column lineage a model's SQL did not allow); default: nobody. */
  debug?: (message: string) => void;
}

/**
 * OpenLineage events for the command's runs: START and COMPLETE / FAIL / ABORT for each
 * run and each asset step (the lineage-event piece builds the asset events), written to
 * data/lineage/ and, with MART_OPENLINEAGE_URL, sent to a Marquez-compatible endpoint.
 *
 * Datasets carry `dataSource`, and `schema` when their columns are known: what a step
 * wrote (its `column_schema` metadata), what a stage 5 model read, a raw file's header
 * (every column VARCHAR: a CSV file is text). A stage 5 model's COMPLETE also carries
 * its compiled SQL (`sql`) and the `columnLineage` of its output, derived from that SQL
 * with DuckDB's parser and pointing only at the event's own inputs.
 *
 * The observers return at once: each event is prepared (the SQL parsed) and emitted on
 * one queue, in the order the run reported them, stamped with the time they happened.
 * Nothing here can fail the run: a problem costs a facet (told to `debug`), at worst an
 * event.
 *
 * @example
 * const lineage = courseLineage({ context, graph, course, inputDir, pieces });
 * await materializeRun({ …, lifecycle: lineage.lifecycle, observer: lineage.observer });
 * log.info(await lineage.close());
 */
export function courseLineage(options: CourseLineageOptions): CourseLineage {
  const { context, graph } = options;
  const debug = options.debug ?? (() => {});
  const emitter = new LineageEmitter({
    dir: lineageDir(context.paths),
    assetEvent: options.pieces.assetLineageEvent,
    env: context.env,
  });
  const refOf = datasetRefs(options);
  const relationOf = relationsOf(options);
  const parser = new ColumnLineageSession();

  // The columns of each dataset as last seen in this command (what steps wrote and read,
  // raw headers), by namespace + name: an input's schema is usually known by the time a
  // step that reads it ends.
  const known = new Map<string, SchemaField[]>();
  const idOf = (ref: DatasetRef) => `${ref.namespace}\u0000${ref.name}`;
  const columnsOf = (key: AssetKey, ref: DatasetRef): SchemaField[] | undefined => {
    const id = idOf(ref);
    if (!known.has(id) && key.startsWith('raw/')) {
      const header = csvHeader(ref.name)?.map((name) => ({ name, type: 'VARCHAR' }));
      if (header) known.set(id, header);
    }
    return known.get(id);
  };
  const datasets = (keys: readonly AssetKey[], lineage?: Record<string, ColumnLineageInputField[]>): Dataset[] =>
    keys.flatMap((key) => {
      const ref = refOf(key);
      if (!ref) return [];
      const columns = columnsOf(key, ref);
      return [
        lineageDataset(ref, {
          producer: lineageProducer,
          ...(columns ? { columns } : {}),
          ...(lineage ? { columnLineage: lineage } : {}),
        }),
      ];
    });
  const stepOf = (runId: string, assetKey: AssetKey, at: Date): AssetStepLineage => ({
    runId,
    assetKey,
    inputs: datasets(graph.parents(assetKey)),
    outputs: datasets([assetKey]),
    at,
  });

  /** What a finished step tells about columns: its output's, and (stage 5) its inputs'. */
  const learn = (assetKey: AssetKey, result: MaterializeResult) => {
    const ref = refOf(assetKey);
    const own = schemaOf(result.metadata?.column_schema);
    if (ref && own) known.set(idOf(ref), own);
    for (const input of result.lineage?.inputs ?? []) {
      const parent = graph.parents(assetKey).find((key) => sameRelation(relationOf(key), input.relation));
      const parentRef = parent === undefined ? undefined : refOf(parent);
      if (parentRef) known.set(idOf(parentRef), [...input.columns]);
    }
  };

  /** The output's column lineage from the SQL the step ran; undefined when nothing could be derived. */
  const columnLineageOf = async (
    assetKey: AssetKey,
    sql: string,
  ): Promise<Record<string, ColumnLineageInputField[]> | undefined> => {
    const tables = graph.parents(assetKey).flatMap((parent): SqlTable[] => {
      const relation = relationOf(parent);
      const dataset = refOf(parent);
      if (!relation || !dataset) return [];
      const columns = known.get(idOf(dataset))?.map((column) => column.name);
      return [{ relation, dataset, ...(columns ? { columns } : {}) }];
    });
    const resolve = sqlTableResolver(tables);
    const ref = refOf(assetKey);
    const outputColumns = ref ? known.get(idOf(ref))?.map((column) => column.name) : undefined;
    const { fields, unsupported } = await parser.derive({
      sql,
      columnsOf: (table) => resolve(table)?.columns,
      datasetOf: (table) => resolve(table)?.dataset,
      ...(outputColumns ? { outputColumns } : {}),
    });
    const found = Object.keys(fields).length > 0;
    if (unsupported.length > 0) {
      debug(`${assetKey}: column lineage ${found ? 'is partial' : 'left out'}: ${unsupported.join(' ')}`);
    }
    return found ? fields : undefined;
  };

  // One queue for every event: the SQL of one step may still be parsing when the next
  // step starts, and the events must still go out in the run's order.
  let queue: Promise<void> = Promise.resolve();
  const inOrder = (work: () => void | Promise<void>) => {
    queue = queue.then(work).catch((error: unknown) => {
      debug(`A lineage event could not be prepared: ${error instanceof Error ? error.message : String(error)}`);
    });
  };

  let runId = '';
  return {
    lifecycle: {
      runStarted: (run) => {
        runId = run.id;
        const at = new Date();
        inOrder(() => emitter.runStarted(run.id, at));
      },
      runEnded: (run, outcome) => {
        const at = new Date();
        inOrder(() => emitter.runEnded(run.id, outcome.status, outcome.message, at));
      },
    },
    observer: {
      stepStarted: (step) => {
        const [id, at] = [runId, new Date()];
        inOrder(() => {
          for (const asset of step.assets) emitter.assetStarted(stepOf(id, asset.key, at));
        });
      },
      stepEnded: (step, outcome) => {
        const [id, at] = [runId, new Date()];
        inOrder(async () => {
          for (const asset of step.assets) {
            const result = outcome.results[asset.key];
            if (result) learn(asset.key, result);
            const sql = result?.lineage?.sql;
            const lineage = sql === undefined ? undefined : await columnLineageOf(asset.key, sql);
            const base = stepOf(id, asset.key, at);
            emitter.assetEnded({
              ...base,
              ...(lineage ? { outputs: datasets([asset.key], lineage) } : {}),
              ...(sql === undefined ? {} : { sql }),
              status: outcome.status,
              ...(result?.rows === undefined ? {} : { rowCount: result.rows }),
              ...(outcome.error === undefined ? {} : { errorMessage: outcome.error }),
            });
          }
        });
      },
    },
    close: async () => {
      await queue;
      await parser.close();
      const report = await emitter.close();
      return report.events > 0 ? report.message : undefined;
    },
  };
}

/** A `column_schema` metadata value (Dagster's TableSchema) as schema facet fields; undefined if it is not one. */
function schemaOf(value: MetadataValue | undefined): SchemaField[] | undefined {
  if (typeof value !== 'object' || value === null || !Array.isArray(value.columns)) return undefined;
  return value.columns.map((column) => ({ name: column.name, type: column.type }));
}

function sameRelation(a: ReadTable['relation'] | undefined, b: ReadTable['relation']): boolean {
  return (
    a !== undefined &&
    a.database.toLowerCase() === b.database.toLowerCase() &&
    a.schema.toLowerCase() === b.schema.toLowerCase() &&
    a.identifier.toLowerCase() === b.identifier.toLowerCase()
  );
}

/** The name stage 5's SQL reads each asset by: dbt nodes by their relation, lake tables by their dbt source's. */
function relationsOf(options: Pick<CourseLineageOptions, 'graph' | 'course'>) {
  const { graph, course } = options;
  const sources = new Map<AssetKey, ReadTable['relation']>();
  for (const [id, source] of Object.entries(course.dbtManifest.sources)) {
    const relation = course.manifest.sources.get(id)?.relation;
    if (relation) sources.set(defaultSourceKey(source), relation);
  }
  return (key: AssetKey): ReadTable['relation'] | undefined => {
    const sourced = sources.get(key);
    if (sourced) return sourced;
    const id = graph.has(key) ? graph.get(key).metadata.dbt_unique_id : undefined;
    return typeof id === 'string' ? course.manifest.nodes.get(id)?.relation : undefined;
  };
}

/** Where each course asset lives, named per the OpenLineage naming spec (see src/lineage/datasets.ts). */
function datasetRefs(options: Pick<CourseLineageOptions, 'context' | 'graph' | 'course' | 'inputDir'>) {
  const { context, graph, course } = options;
  const bucket = readLakeConfig(context.env, context.paths.root).bucket;
  const catalog = catalogPath(context.paths);
  return (key: AssetKey): DatasetRef | undefined => {
    const [kind, layer, table] = key.split('/');
    if (kind === 'raw' && layer) return fileDataset(join(options.inputDir, `${layer}.csv`));
    if (kind === 'lake' && layer === 'bronze' && table) return s3Dataset(bucket, `bronze/${table}/`);
    if (kind === 'lake' && layer && table) return ducklakeDataset(catalog, layer, table);
    const id = graph.has(key) ? graph.get(key).metadata.dbt_unique_id : undefined;
    const node = typeof id === 'string' ? course.manifest.nodes.get(id) : undefined;
    if (node) return duckdbDataset(course.project.target.path, node.relation.schema, node.relation.identifier);
    return undefined;
  };
}

// ─── LINEAGE CALL SITE ────────────────────────────────────────────────────────────
// The one place where `materialize` hands its runs to the lineage emitter (src/lineage/).
// The executor only knows the two observer interfaces below; everything OpenLineage is
// behind them. Dataset facets here are the minimum (dataSource); richer ones (schema,
// columnLineage, the compiled SQL of stage 5 models) belong to src/lineage/ and can be
// added in `datasetsOf` without touching the executor.
import { join } from 'node:path';
import { type CommandContext, readLakeConfig } from '@mart/shared';
import { catalogPath } from '@mart/stage-04-lakehouse';
import type { AssetGraph } from '../assets/asset-graph.ts';
import type { AssetKey, Dataset } from '../given/index.ts';
import type { OrchestrationPieces } from '../given/pieces.ts';
import {
  type DatasetRef,
  duckdbDataset,
  ducklakeDataset,
  fileDataset,
  LineageEmitter,
  lineageDataset,
  lineageDir,
  lineageProducer,
  s3Dataset,
} from '../lineage/index.ts';
import type { CourseProject } from '../materializers/course-project.ts';
import type { RunObserver } from '../run/execute-run.ts';
import type { RunLifecycleObserver } from '../run/materialize-run.ts';

/** What the materialize command plugs into its runs for lineage. */
export interface CourseLineage {
  lifecycle: RunLifecycleObserver;
  observer: RunObserver;
  /** Waits for the HTTP sink (if any) and returns the line to print (none when nothing was emitted). */
  close(): Promise<string | undefined>;
}

/**
 * OpenLineage events for the command's runs: START and COMPLETE / FAIL / ABORT for each
 * run and each asset step (the lineage-event piece builds the asset events), written to
 * data/lineage/ and, with MART_OPENLINEAGE_URL, sent to a Marquez-compatible endpoint.
 *
 * @example
 * const lineage = courseLineage({ context, graph, course, inputDir, pieces });
 * await materializeRun({ …, lifecycle: lineage.lifecycle, observer: lineage.observer });
 * log.info(await lineage.close());
 */
export function courseLineage(options: {
  context: Pick<CommandContext, 'paths' | 'env'>;
  graph: AssetGraph;
  course: CourseProject;
  inputDir: string;
  pieces: Pick<OrchestrationPieces, 'assetLineageEvent'>;
}): CourseLineage {
  const { context, graph } = options;
  const emitter = new LineageEmitter({
    dir: lineageDir(context.paths),
    assetEvent: options.pieces.assetLineageEvent,
    env: context.env,
  });
  const refOf = datasetRefs(options);
  const datasets = (keys: readonly AssetKey[]): Dataset[] =>
    keys.flatMap((key) => {
      const ref = refOf(key);
      return ref ? [lineageDataset(ref, { producer: lineageProducer })] : [];
    });
  const stepOf = (runId: string, assetKey: AssetKey) => ({
    runId,
    assetKey,
    inputs: datasets(graph.parents(assetKey)),
    outputs: datasets([assetKey]),
  });
  let runId = '';
  return {
    lifecycle: {
      runStarted: (run) => {
        runId = run.id;
        emitter.runStarted(run.id);
      },
      runEnded: (run, outcome) => emitter.runEnded(run.id, outcome.status, outcome.message),
    },
    observer: {
      stepStarted: (step) => {
        for (const asset of step.assets) emitter.assetStarted(stepOf(runId, asset.key));
      },
      stepEnded: (step, outcome) => {
        for (const asset of step.assets) {
          const rows = outcome.results[asset.key]?.rows;
          emitter.assetEnded({
            ...stepOf(runId, asset.key),
            status: outcome.status,
            ...(rows === undefined ? {} : { rowCount: rows }),
            ...(outcome.error === undefined ? {} : { errorMessage: outcome.error }),
          });
        }
      },
    },
    close: async () => {
      const report = await emitter.close();
      return report.events > 0 ? report.message : undefined;
    },
  };
}

/** Where each course asset lives, named per the OpenLineage naming spec (see src/lineage/datasets.ts). */
function datasetRefs(options: {
  context: Pick<CommandContext, 'paths' | 'env'>;
  graph: AssetGraph;
  course: CourseProject;
  inputDir: string;
}): (key: AssetKey) => DatasetRef | undefined {
  const { context, graph, course } = options;
  const bucket = readLakeConfig(context.env, context.paths.root).bucket;
  const catalog = catalogPath(context.paths);
  return (key) => {
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

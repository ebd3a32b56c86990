import type { CommandContext } from '@mart/shared';
import { AssetGraph } from '../assets/asset-graph.ts';
import { courseAssetGraph } from '../assets/course-assets.ts';
import type { UnattachedTest } from '../assets/dbt-assets.ts';
import type { AssetDefinition } from '../assets/define-asset.ts';
import { backfillPolicy } from '../partitions/backfill-policy.ts';
import type { RunLifecycleObserver } from '../run/materialize-run.ts';
import type { PlanRunOptions } from '../run/plan.ts';
import { type CourseProject, openCourseProject } from './course-project.ts';
import { DbtMaterializers } from './dbt-models.ts';
import { lakeBuildStep } from './lake-build.ts';
import { lakeIngestStep } from './lake-ingest.ts';

/** Options for {@link loadCoursePipeline}. */
export interface CoursePipelineOptions {
  context: Pick<CommandContext, 'mine' | 'paths' | 'env'>;
  /** The raw files' folder; default stage 2's seeds (data/seeds/stage-02/). */
  inputDir?: string | undefined;
  /** Land the raw files even when the same files were landed already. */
  forceIngest?: boolean;
}

/** The course's pipeline as assets that can be materialized. */
export interface CoursePipeline {
  graph: AssetGraph;
  /** Stage 5 tests that are not the check of one asset (not run by stage 6). */
  unattachedTests: UnattachedTest[];
  course: CourseProject;
  /** The raw files' folder. */
  inputDir: string;
  /** What planRun needs to know about this graph: stage 5's models wait for the run's lake steps. */
  planOptions: PlanRunOptions;
  /** Closes each run's resources (stage 5's warehouse) when the run ends. */
  lifecycle: RunLifecycleObserver;
  /** Closes everything still open. */
  close(): Promise<void>;
}

/**
 * The course's pipeline, stages 2–5, as one graph of assets that can be materialized:
 * - `raw/*`: stage 2's input files, external (observed, never built);
 * - `lake/bronze/*`: ONE step, `lake_ingest` (stage 4's ingest of the raw files);
 * - `lake/silver/*` and `lake/gold/*`: ONE step, `lake_build` (stage 4's build: one snapshot);
 * - `dbt/*`: one step per stage 5 node (stage 5's executeNodes for the node and its
 *   tests), microbatch models partitioned by day with a single_run backfill policy.
 * Stage 5's project is parsed once here, for every run of the command.
 *
 * @example
 * const pipeline = await loadCoursePipeline({ context });
 * try { … planRun(pipeline.graph, keys, pipeline.planOptions) … } finally { await pipeline.close(); }
 */
export async function loadCoursePipeline(options: CoursePipelineOptions): Promise<CoursePipeline> {
  const { context } = options;
  const inputDir = options.inputDir ?? context.paths.seeds(2);
  const course = await openCourseProject(context);
  const ingest = lakeIngestStep({
    context,
    inputDir,
    force: options.forceIngest ?? false,
  });
  const build = lakeBuildStep(context);
  const dbt = new DbtMaterializers(context, course);
  const loaded = courseAssetGraph({
    manifest: course.dbtManifest,
    materializeLake: (key) => (key.startsWith('lake/bronze/') ? ingest.materializeFor(key) : build.materializeFor(key)),
    dbt: { materialize: (node) => dbt.materialize(node), partitions: (node) => dbt.partitions(node) },
  });
  // A microbatch model runs one statement per batch over any window: a backfill of many
  // days is best one run over the whole range (Dagster's single_run).
  const graph = new AssetGraph(
    loaded.graph
      .assets()
      .map(
        (asset): AssetDefinition =>
          asset.partitions && !asset.backfillPolicy ? { ...asset, backfillPolicy: backfillPolicy.singleRun() } : asset,
      ),
  );
  dbt.useGraph(graph);
  const lakeKeys = graph.keys().filter((key) => key.startsWith('lake/'));
  return {
    graph,
    unattachedTests: loaded.unattachedTests,
    course,
    inputDir,
    planOptions: {
      // Stage 5 reads the lake through one mount per run: its models wait for every lake step of the run.
      orderAfter: (asset) => (asset.kinds.includes('dbt') ? lakeKeys : []),
    },
    lifecycle: {
      runEnded: (run) => {
        void dbt.closeRun(run.id);
      },
    },
    close: () => dbt.close(),
  };
}

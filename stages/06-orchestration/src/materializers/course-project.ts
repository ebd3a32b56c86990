import type { CommandContext } from '@mart/shared';
import {
  buildManifest,
  type DbtProject,
  type IncrementalPieces,
  loadIncrementalPieces,
  loadProject,
  type Manifest,
  manifestJson,
  type NodeCompiler,
  projectChoice,
  stageProjectShownAs,
} from '@mart/stage-05-incremental';
import { type DbtManifest, parseDbtManifest } from '../assets/dbt-manifest.ts';

/** Stage 5's dbt project, parsed once for the whole command. */
export interface CourseProject {
  project: DbtProject;
  /** Stage 5's own parse (what executeNodes runs). */
  manifest: Manifest;
  compiler: NodeCompiler;
  /** Stage 5's pieces (the learner's with --mine=5 or --mine=all). */
  pieces: IncrementalPieces;
  /** The same project as dbt's manifest.json (v12), what stage 6 reads its assets from. */
  dbtManifest: DbtManifest;
  /** Warnings of the parse (ignored keys…), to say once. */
  warnings: string[];
}

/**
 * Parses stage 5's committed project, as dagster-dbt starts from `dbt parse`: stage 5's
 * own loader and parser (with its pieces), then the manifest in dbt's manifest.json
 * layout, from which the dbt assets are loaded. Nothing is written: manifest.json is
 * made in memory, so two commands never race on the file.
 *
 * @example
 * const course = await openCourseProject(context);
 * dbtAssets(course.dbtManifest).assets.map((asset) => asset.key) // → ['dbt/daily_revenue', …]
 */
export async function openCourseProject(
  context: Pick<CommandContext, 'mine' | 'paths' | 'env'>,
): Promise<CourseProject> {
  const { paths, env } = context;
  const choice = projectChoice(
    {
      'project-dir': stageProjectShownAs,
      'target-path': undefined,
      vars: undefined,
      'profiles-dir': undefined,
      target: undefined,
    },
    paths,
  );
  const pieces = await loadIncrementalPieces(context.mine, paths);
  const project = loadProject({
    projectDir: choice.projectDir,
    targetPath: choice.targetPath,
    vars: choice.vars,
    env,
    defaultTarget: { path: paths.warehouse(5) },
  });
  const { manifest, compiler } = buildManifest(project, { pieces, env });
  const json = manifestJson(manifest, { projectRoot: project.root, targetPath: project.targetPath });
  return {
    project,
    manifest,
    compiler,
    pieces,
    dbtManifest: parseDbtManifest(json, 'stage 5’s manifest'),
    warnings: [...manifest.warnings],
  };
}

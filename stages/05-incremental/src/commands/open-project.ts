import { log } from '@clack/prompts';
import type { CommandContext } from '@mart/shared';
import { type BuiltManifest, buildManifest } from '../manifest/build-manifest.ts';
import { type IncrementalPieces, loadIncrementalPieces } from '../pieces.ts';
import { loadProject } from '../project/load-project.ts';
import type { DbtProject } from '../project/types.ts';
import type { ProjectChoice } from './project-options.ts';

/** A parsed project, ready to compile or run. */
export interface OpenedProject extends BuiltManifest {
  project: DbtProject;
  pieces: IncrementalPieces;
}

/**
 * Reads the project and parses it, as every stage 5 command starts: the pieces (yours
 * with --mine: dag-order checks the DAG), dbt_project.yml and profiles.yml, then every
 * model, seed, snapshot, test and macro. Warnings (ignored keys…) are said once each.
 */
export async function openProject(
  context: Pick<CommandContext, 'mine' | 'paths' | 'env' | 'io'>,
  choice: ProjectChoice,
  options: { threads?: number | undefined } = {},
): Promise<OpenedProject> {
  const pieces = await loadIncrementalPieces(context.mine, context.paths);
  const project = loadProject({
    projectDir: choice.projectDir,
    targetPath: choice.targetPath,
    vars: choice.vars,
    env: context.env,
    defaultTarget: { path: context.paths.warehouse(5) },
    profilesDir: choice.profilesDir,
    targetName: choice.targetName,
    threads: options.threads,
  });
  const built = buildManifest(project, { pieces, env: context.env });
  for (const warning of built.manifest.warnings) log.warn(warning, { output: context.io.output });
  return { ...built, project, pieces };
}

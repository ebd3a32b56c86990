import { existsSync, rmSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { log } from '@clack/prompts';
import { countOf, defineCommand } from '@mart/shared';
import { loadProject } from '../project/load-project.ts';
import { projectChoice, projectOptions } from './project-options.ts';

export const clean = defineCommand({
  description:
    'Delete the target folder (artifacts, compiled SQL, samples) and any other clean-targets; never the warehouse.',
  options: { ...projectOptions },
  withoutMine: true,
  examples: ['pnpm stage 5 clean'],
  async run({ options, io, paths, env }) {
    const choice = projectChoice(options, paths);
    const project = loadProject({
      projectDir: choice.projectDir,
      targetPath: choice.targetPath,
      vars: choice.vars,
      env,
      defaultTarget: { path: paths.warehouse(5) },
      profilesDir: choice.profilesDir,
      targetName: choice.targetName,
    });
    const folders = [
      project.targetPath,
      ...(project.cleanTargets ?? []).map((folder) => (isAbsolute(folder) ? folder : join(project.root, folder))),
    ];
    const removed = [...new Set(folders)].filter((folder) => existsSync(folder));
    for (const folder of removed) rmSync(folder, { recursive: true, force: true });
    if (removed.length === 0) log.info('Nothing to clean.', { output: io.output });
    else
      log.success(
        `Removed ${countOf(removed.length, 'folder')}: ${removed.map((folder) => paths.shown(folder)).join(', ')}`,
        {
          output: io.output,
        },
      );
    return 0;
  },
});

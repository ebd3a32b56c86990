import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.ts';
import { repoRoot } from '../paths.ts';
import { matchesStage } from './match-stage.ts';
import type { StageDefinition } from './stage-definition.ts';

/** A stage folder found under stages/, loaded lazily. */
export interface StageEntry {
  number: number;
  dir: string;
  load(): Promise<StageDefinition>;
}

/**
 * The stages that exist, in curriculum order: every `stages/NN-name/src/stage.ts`.
 * Adding a stage folder is all it takes for `pnpm stage` and `pnpm start` to see it.
 *
 * @example
 * listStages().map((stage) => stage.dir) // → ['01-star-schema']
 */
export function listStages(root: string = repoRoot()): StageEntry[] {
  const stagesDir = join(root, 'stages');
  return readdirSync(stagesDir)
    .filter((dir) => /^\d\d-/.test(dir) && existsSync(join(stagesDir, dir, 'src', 'stage.ts')))
    .sort()
    .map((dir) => ({
      number: Number(dir.slice(0, 2)),
      dir,
      async load() {
        const module = (await import(pathToFileURL(join(stagesDir, dir, 'src', 'stage.ts')).href)) as {
          stage: StageDefinition;
        };
        return module.stage;
      },
    }));
}

/**
 * Finds a stage by number or name, or a usage error listing the valid ones.
 *
 * @example
 * await findStage('1') // → the star-schema stage
 */
export function findStage(wanted: string, stages: StageEntry[] = listStages()): StageEntry {
  const found = stages.find((stage) => matchesStage(stage.number, stage.dir, wanted));
  if (!found) {
    throw new UsageError(`Unknown stage "${wanted}".`, {
      hint: `Valid stages: ${stages.map((stage) => `${stage.number} (${stage.dir.slice(3)})`).join(', ')}. See \`pnpm stage list\`.`,
    });
  }
  return found;
}

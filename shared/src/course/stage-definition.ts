import type { CommandTable } from '../cli/command.ts';

/**
 * What a stage package exports from `src/stage.ts`: the root `pnpm stage` command
 * finds stages by folder and dispatches to their command tables.
 *
 * @example
 * export const stage: StageDefinition = {
 *   number: 1, name: 'star-schema', title: 'Hardcoded star schema',
 *   learn: 'grain, surrogate keys, facts vs dimensions, joins',
 *   commands: { build: () => import('./commands/build.ts').then((m) => m.build) },
 * };
 */
export interface StageDefinition {
  /** 1–6, the position in the curriculum. */
  number: number;
  /** The folder name without its number, e.g. `star-schema`. */
  name: string;
  /** Short human title. */
  title: string;
  /** What the learner learns, for `pnpm stage list` and the README map. */
  learn: string;
  /**
   * The earlier stages whose outputs this stage's build reads (stage 5 reads stage 4's
   * lake). When one of them failed, `pnpm start` skips this stage instead of running it
   * into a second, confusing error.
   */
  readsFrom?: number[];
  /** The command `pnpm start` suggests after the build; default `explore`. */
  next?: string;
  /** The stage's commands; `build` is what `pnpm start` runs. */
  commands: CommandTable;
}

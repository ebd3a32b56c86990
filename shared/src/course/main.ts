import type { Command, CommandTable } from '../cli/command.ts';
import { columns } from '../cli/help.ts';
import { writeLine } from '../cli/io.ts';
import { UsageError } from '../errors.ts';
import { stageMain } from './commands/stage.ts';
import { type RunEnvironment, runCommand } from './run-command.ts';

/** The root commands learners and instructors type, each in its own lazily loaded file. */
const rootCommands: CommandTable = {
  start: () => import('./commands/start.ts').then((m) => m.start),
  grade: () => import('./commands/grade.ts').then((m) => m.grade),
  hint: () => import('./commands/hint.ts').then((m) => m.hint),
  reset: () => import('./commands/reset.ts').then((m) => m.reset),
  diff: () => import('./commands/diff.ts').then((m) => m.diff),
  'sync-exercises': () => import('./commands/sync-exercises.ts').then((m) => m.syncExercises),
};

/**
 * Entry point behind the root package.json scripts: `pnpm start|stage|grade|hint|reset|diff`.
 *
 * @example
 * await courseMain(['grade', '1'], { io: processIo(), paths: new MartPaths(), color: false })
 */
export async function courseMain(argv: string[], environment: RunEnvironment): Promise<number> {
  const { io } = environment;
  const [name, ...args] = argv;
  if (name === 'stage') return stageMain(args, environment);
  const load = name ? rootCommands[name] : undefined;
  if (!load) {
    const list: Array<[string, string]> = [['stage', 'Run a stage command: pnpm stage <n> <command>']];
    for (const [key, loader] of Object.entries(rootCommands)) list.push([key, (await loader()).description]);
    if (!name || name === '--help') {
      writeLine(io, `Commands:\n${columns(list)}`);
      return 0;
    }
    throw new UsageError(`Unknown command "${name}".`, {
      hint: `Valid commands: ${list.map(([key]) => key).join(', ')}.`,
    });
  }
  const command: Command = await load();
  return runCommand(command, `pnpm ${name}`, args, { ...environment, stage: undefined });
}

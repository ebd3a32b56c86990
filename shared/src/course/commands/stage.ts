import { columns } from '../../cli/help.ts';
import type { Io } from '../../cli/io.ts';
import { writeLine } from '../../cli/io.ts';
import { UsageError } from '../../errors.ts';
import { type RunEnvironment, runCommand } from '../run-command.ts';
import { findStage, listStages } from '../stages.ts';

const stageUsage = 'Usage: pnpm stage <n|name> <command> [options]   ·   pnpm stage list';

/**
 * `pnpm stage …`: lists stages, shows a stage's commands, or runs one of them.
 *
 * @example
 * await stageMain(['1', 'build'], environment)
 */
export async function stageMain(args: string[], environment: RunEnvironment): Promise<number> {
  const { io } = environment;
  const [wanted, commandName, ...rest] = args;
  if (!wanted || wanted === '--help' || wanted === '-h' || wanted === 'help') {
    writeLine(io, `${stageUsage}\n`);
    return printStageList(io);
  }
  if (wanted === 'list') return printStageList(io);

  const entry = findStage(wanted);
  const stage = await entry.load();
  const names = Object.keys(stage.commands);
  if (!commandName || commandName === '--help' || commandName === '-h' || commandName === 'help') {
    writeLine(io, `Stage ${stage.number} · ${stage.title}\nYou learn: ${stage.learn}\n`);
    writeLine(io, `Usage: pnpm stage ${stage.number} <command> [options]\n\nCommands:`);
    const rows: Array<[string, string]> = [];
    for (const name of names) rows.push([name, (await stage.commands[name]?.())?.description ?? '']);
    writeLine(
      io,
      `${columns(rows)}\n\nEvery command takes --help; the ones running exercise pieces take --mine (this stage's) and --mine=all.`,
    );
    return 0;
  }
  const load = stage.commands[commandName];
  if (!load) {
    throw new UsageError(`Stage ${stage.number} has no command "${commandName}".`, {
      hint: `Valid commands: ${names.join(', ')}. See \`pnpm stage ${stage.number} --help\`.`,
    });
  }
  return runCommand(await load(), `pnpm stage ${stage.number} ${commandName}`, rest, {
    ...environment,
    stage: stage.number,
  });
}

async function printStageList(io: Io): Promise<number> {
  const rows: Array<[string, string]> = [];
  for (const entry of listStages()) {
    const stage = await entry.load();
    rows.push([`${stage.number}  ${stage.name}`, `${stage.title} — ${Object.keys(stage.commands).join(', ')}`]);
  }
  writeLine(io, `Stages:\n${columns(rows)}`);
  return 0;
}

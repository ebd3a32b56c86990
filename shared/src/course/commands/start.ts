import { intro, log, outro } from '@clack/prompts';
import type { Command } from '../../cli/command.ts';
import { renderTable } from '../../render/table.ts';
import { runCommand } from '../run-command.ts';
import { listStages } from '../stages.ts';

export const start: Command = {
  description: 'Build every stage on embedded defaults and print what was built.',
  options: {},
  async run({ io }) {
    const output = io.output;
    intro('Mini Data Mart: building every stage', { output });
    const summary: Array<Record<string, string | number>> = [];
    let failures = 0;
    for (const entry of listStages()) {
      const stage = await entry.load();
      const build = stage.commands.build;
      if (!build) continue;
      log.step(`Stage ${stage.number} · ${stage.title}`, { output });
      const started = performance.now();
      const code = await runCommand(await build(), `pnpm stage ${stage.number} build`, [], io);
      if (code !== 0) failures++;
      summary.push({
        stage: `${stage.number} ${stage.name}`,
        result: code === 0 ? 'built' : `failed (exit ${code})`,
        seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
        next: `pnpm stage ${stage.number} ${stage.next ?? 'explore'}`,
      });
    }
    log.message(renderTable(summary), { output });
    outro(
      failures === 0
        ? 'Done. Explore a mart with `pnpm stage 1 explore`, then start the exercises with `pnpm grade 1`.'
        : `${failures} stage(s) failed; see the messages above.`,
      { output },
    );
    return failures === 0 ? 0 : 1;
  },
};

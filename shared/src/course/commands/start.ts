import { intro, log, outro } from '@clack/prompts';
import { defineCommand } from '../../cli/command.ts';
import { reportError } from '../../cli/run-main.ts';
import { renderTable } from '../../render/table.ts';
import { runCommand } from '../run-command.ts';
import { listStages } from '../stages.ts';

export const start = defineCommand({
  description: 'Build every stage on embedded defaults and print what was built.',
  withoutMine: true,
  options: {},
  async run({ io, paths, color, env }) {
    const output = io.output;
    intro('Mini Data Mart: building every stage', { output });
    const summary: Array<Record<string, string | number>> = [];
    let failures = 0;
    const failed: number[] = [];
    for (const entry of listStages()) {
      const stage = await entry.load();
      const build = stage.commands.build;
      if (!build) continue;
      const missing = (stage.readsFrom ?? []).filter((number) => failed.includes(number));
      if (missing.length > 0) {
        // Like dbt skipping a failed model's descendants: its input is not there.
        failed.push(stage.number);
        summary.push({
          stage: `${stage.number} ${stage.name}`,
          result: `skipped (reads stage ${missing.join(', ')})`,
          seconds: 0,
          next: `pnpm stage ${missing[0]} build`,
        });
        continue;
      }
      log.step(`Stage ${stage.number} · ${stage.title}`, { output });
      const started = performance.now();
      let code: number;
      try {
        code = await runCommand(await build(), `pnpm stage ${stage.number} build`, [], {
          io,
          paths,
          color,
          env,
          stage: stage.number,
        });
      } catch (error) {
        // One stage failing must not hide what the others built: report it, go on.
        code = reportError(error, { stream: io.error ?? io.output, color });
      }
      if (code !== 0) {
        failures++;
        failed.push(stage.number);
      }
      summary.push({
        stage: `${stage.number} ${stage.name}`,
        result: code === 0 ? 'built' : `failed (exit ${code})`,
        seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
        next: code === 0 ? `pnpm stage ${stage.number} ${stage.next ?? 'explore'}` : `pnpm stage ${stage.number} build`,
      });
    }
    log.message(renderTable(summary, { color }), { output });
    outro(
      failures === 0
        ? 'Done. Explore a mart with `pnpm stage 1 explore`, then start the exercises with `pnpm grade 1`.'
        : `${failures} ${failures === 1 ? 'stage' : 'stages'} failed${skippedNote(failed.length - failures)}; see the messages above, and run that stage's build again.`,
      { output },
    );
    return failures === 0 ? 0 : 1;
  },
});

function skippedNote(skipped: number): string {
  return skipped === 0 ? '' : ` and ${skipped} ${skipped === 1 ? 'was' : 'were'} skipped`;
}

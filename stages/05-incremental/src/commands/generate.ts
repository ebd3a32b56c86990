import { log } from '@clack/prompts';
import { countOf, defineCommand, renderTable, UsageError } from '@mart/shared';
import { firstGeneratedDay, generateDays } from '../generate/generate-days.ts';
import { generatorOptions, readGeneratorOptions } from '../generate/generator-options.ts';

export const generate = defineCommand({
  description:
    'Append N daily batches to the lake (late lines and corrections included), each landed in bronze by stage 4’s ingest.',
  options: {
    ...generatorOptions,
    start: {
      type: 'string',
      valueName: 'YYYY-MM-DD',
      description: `First day when the lake has no daily batch yet (default ${firstGeneratedDay}).`,
    },
  },
  examples: ['pnpm stage 5 generate --days 30', 'pnpm stage 5 generate --days 1 && pnpm stage 5 build'],
  async run(context) {
    const { options, io, paths, color } = context;
    const { days, linesPerDay, seed } = readGeneratorOptions(options);
    if (options.start !== undefined && !/^\d{4}-\d\d-\d\d$/.test(options.start)) {
      throw new UsageError(`--start must be a date as YYYY-MM-DD, not "${options.start}".`);
    }
    const started = performance.now();
    const generated = await generateDays(context, {
      days,
      linesPerDay,
      seed,
      start: options.start,
      onDay: (day) =>
        log.step(
          `${day.day}: ${countOf(day.lines, 'line')} (${day.late} late, ${countOf(day.corrections, 'correction')}) → ingest ${day.ingestId}`,
          { output: io.output },
        ),
    });
    log.message(
      renderTable(
        generated.map((day) => ({
          day: day.day,
          lines: day.lines,
          late: day.late,
          corrections: day.corrections,
          files: paths.shown(day.dir),
        })),
        { color, compact: true },
      ),
      { output: io.output },
    );
    const total = generated.reduce((sum, day) => sum + day.lines, 0);
    log.success(
      `Appended ${countOf(generated.length, 'day')} (${countOf(total, 'sale line')}) to bronze in ${Math.round(performance.now() - started)} ms.`,
      { output: io.output },
    );
    log.info('Next: pnpm stage 5 build (only the new days are processed)', { output: io.output });
    return 0;
  },
});

import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { log } from '@clack/prompts';
import { dailyBatch, defineCommand } from '@mart/shared';
import { openLake } from '@mart/stage-04-lakehouse';
import {
  firstGeneratedDay,
  generatorOptions,
  newestGeneratedDay,
  readGeneratorOptions,
  seedDimensions,
  writeDayFiles,
} from '@mart/stage-05-incremental';
import { addDays } from '../given/partition-keys.ts';
import { inboxDir } from '../schedules/inbox-sensor.ts';

export const inbox = defineCommand({
  description:
    "Drop N days of generated sales into data/inbox/ as batch files (stage 5's generator), for the file sensor to pick up.",
  options: generatorOptions,
  examples: ['pnpm stage 6 inbox --days 3', 'pnpm stage 6 schedule --once'],
  withoutMine: true,
  async run(context) {
    const { options, paths, io } = context;
    const output = io.output;
    const { days, linesPerDay, seed } = readGeneratorOptions(options);

    const dir = inboxDir(paths);
    mkdirSync(dir, { recursive: true });
    // The days after the newest one in the lake, and after the batches waiting here.
    const lake = await openLake(context, { catalog: 'read' });
    const inLake = await newestGeneratedDay(lake).finally(() => lake.close());
    const waiting = readdirSync(dir)
      .map((name) => /^sales-(\d{4}-\d{2}-\d{2})\.csv$/.exec(name)?.[1])
      .filter((day): day is string => day !== undefined)
      .sort()
      .at(-1);
    const newest = [inLake, waiting]
      .filter((day): day is string => day !== undefined)
      .sort()
      .at(-1);
    const start = newest === undefined ? firstGeneratedDay : addDays(newest, 1);
    const seeds = await seedDimensions(context);
    for (let i = 0; i < days; i++) {
      const day = addDays(start, i);
      const batch = dailyBatch({ seed, day, firstDay: firstGeneratedDay, linesPerDay, dimensions: seeds.dimensions });
      // Written under a dot name, then renamed: the sensor ignores dot names, and a
      // rename is atomic, so it never reads half a file.
      const scratch = join(dir, `.day-${day}`);
      writeDayFiles(scratch, batch, seeds);
      renameSync(join(scratch, 'sales.csv'), join(dir, `sales-${day}.csv`));
      rmSync(scratch, { recursive: true, force: true });
      log.info(
        `${paths.shown(join(dir, `sales-${day}.csv`))}: ${batch.sales.length} lines (${batch.counts.late} late, ${batch.counts.corrections} corrections).`,
        { output },
      );
    }
    log.success('The file sensor picks them up at its next tick: pnpm stage 6 schedule --once', { output });
    return 0;
  },
});

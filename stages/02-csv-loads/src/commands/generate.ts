import { statSync } from 'node:fs';
import { join } from 'node:path';
import { log } from '@clack/prompts';
import { defineCommand, generateDataset, positiveInteger, renderTable, UsageError } from '@mart/shared';

export const generate = defineCommand({
  description: 'Write a synthetic dataset (the same four CSVs, any size) from the seeded generator.',
  options: {
    rows: { type: 'string', valueName: 'N', description: 'Sale lines to generate.', default: '100000' },
    seed: { type: 'string', valueName: 'S', description: 'Same seed, same bytes.', default: '42' },
    out: {
      type: 'string',
      valueName: 'DIR',
      description: 'Folder to write (default data/generated/<rows>-seed-<seed>).',
    },
    'daily-batches': {
      type: 'boolean',
      description: 'Also write batches/sales-YYYY-MM-DD.csv with late and corrected lines (stage 5).',
    },
  },
  examples: ['pnpm stage 2 generate --rows 1000000', 'pnpm stage 2 generate --rows 5000 --seed 7 --out /tmp/small'],
  withoutMine: true,
  async run({ options, io, paths, color }) {
    const rows = positiveInteger(options.rows, 'rows') ?? 100_000;
    const seed = Number(options.seed);
    if (!Number.isInteger(seed) || seed < 0)
      throw new UsageError(`--seed must be a whole number, not "${options.seed}".`);
    const outDir =
      options.out !== undefined ? paths.resolve(options.out) : join(paths.data, 'generated', `${rows}-seed-${seed}`);
    const started = performance.now();
    const files = generateDataset({ rows, seed, outDir, dailyBatches: options['daily-batches'] });
    const shownDir = paths.shown(outDir);
    log.success(
      `Generated ${rows.toLocaleString('en')} sale lines (seed ${seed}) in ${Math.round(performance.now() - started)} ms.`,
      {
        output: io.output,
      },
    );
    log.message(
      renderTable(
        Object.entries(files).map(([file, count]) => ({
          file: join(shownDir, file),
          rows: count,
          bytes: statSync(join(outDir, file)).size,
        })),
        { color },
      ),
      { output: io.output },
    );
    log.info(`Load it: pnpm stage 2 build --input ${shownDir}`, { output: io.output });
    return 0;
  },
});

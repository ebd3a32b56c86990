import { log } from '@clack/prompts';
import { buildAtomically, defineCommand, renderTable } from '@mart/shared';
import { buildStarSchema } from '../build-star-schema.ts';
import { loadStarSchemaPieces } from '../pieces.ts';
import { seedInput } from '../seed/index.ts';

export const build = defineCommand({
  description: 'Build the star schema from the hardcoded seed rows into data/warehouse/stage-01.duckdb.',
  options: {},
  examples: ['pnpm stage 1 build', 'pnpm stage 1 build --mine'],
  async run({ mine, io, paths, color }) {
    const pieces = await loadStarSchemaPieces(mine, paths);
    const target = paths.warehouse(1);
    const started = performance.now();
    // Built in a temporary file and renamed at the end: a failed build keeps the old warehouse.
    const counts = await buildAtomically(target, (db) => buildStarSchema(db, seedInput, pieces));
    const rows = Object.entries(counts).map(([table, count]) => ({ table, rows: count }));
    log.success(`Built ${paths.shown(target)} in ${Math.round(performance.now() - started)} ms.`, {
      output: io.output,
    });
    log.message(renderTable(rows, { color }), { output: io.output });
    return 0;
  },
});

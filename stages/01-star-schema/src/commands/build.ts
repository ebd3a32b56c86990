import { log } from '@clack/prompts';
import { buildAtomically, type Command, renderTable, shownPath, warehousePath } from '@mart/shared';
import { buildStarSchema } from '../build-star-schema.ts';
import { loadPieces } from '../pieces.ts';
import { seedInput } from '../seed/index.ts';

export const build: Command = {
  description: 'Build the star schema from the hardcoded seed rows into data/warehouse/stage-01.duckdb.',
  options: {},
  examples: ['pnpm stage 1 build', 'pnpm stage 1 build --mine'],
  async run({ mine, io }) {
    const pieces = await loadPieces(mine);
    const target = warehousePath(1);
    const started = performance.now();
    // Built in a temporary file and renamed at the end: a failed build keeps the old warehouse.
    const counts = await buildAtomically(target, (db) => buildStarSchema(db, seedInput, pieces));
    const rows = Object.entries(counts).map(([table, count]) => ({ table, rows: count }));
    log.success(
      `Built ${shownPath(target)} in ${Math.round(performance.now() - started)} ms${mine ? ' with your pieces' : ''}.`,
      { output: io.output },
    );
    log.message(renderTable(rows), { output: io.output });
    return 0;
  },
};

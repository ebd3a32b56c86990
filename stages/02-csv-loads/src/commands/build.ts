import { log } from '@clack/prompts';
import { buildAtomically, defineCommand } from '@mart/shared';
import { loadStarSchemaPieces } from '@mart/stage-01-star-schema';
import { loadCsvWarehouse, readInputs } from '../load/load-csv-warehouse.ts';
import { loadCsvPieces } from '../pieces.ts';
import { reconciliationTable, rejectsSummary } from '../render-load-result.ts';
import { writeRejectFiles } from '../write-reject-files.ts';
import { loadOptions, parseLoadOptions } from './load-options.ts';

export const build = defineCommand({
  description: 'Load the four CSV files into data/warehouse/stage-02.duckdb, with rejects and reconciliation.',
  options: {
    ...loadOptions,
    'keep-staging': {
      type: 'boolean',
      description: 'Keep the all-text staging tables (stg_*) in the warehouse to query them.',
    },
  },
  examples: [
    'pnpm stage 2 build',
    'pnpm stage 2 build --input data/generated/1000000-seed-42',
    'pnpm stage 2 build --max-reject-rate 25%',
    'pnpm stage 2 build --keep-staging',
    'pnpm stage 2 build --mine',
  ],
  async run({ options, mine, io, paths, color }) {
    const output = io.output;
    const { inputDir, maxRejectRate } = parseLoadOptions(options, paths);
    const pieces = await loadCsvPieces(mine, paths);
    const starPieces = await loadStarSchemaPieces(mine, paths);
    const target = paths.warehouse(2);
    const started = performance.now();

    // Unusable files stop the build here, before the warehouse is touched.
    const inputs = readInputs(inputDir, pieces);
    // Built in a temporary file and renamed at the end: a failed build keeps the old warehouse.
    const result = await buildAtomically(target, (db) =>
      loadCsvWarehouse(db, inputs, {
        pieces,
        starPieces,
        maxRejectRate,
        keepStaging: options['keep-staging'],
        onStep: (message) => log.step(message, { output }),
      }),
    );
    const rejectsDir = writeRejectFiles(result.rejects, paths.output('rejects', 2));

    log.success(
      `Built ${paths.shown(target)} from ${paths.shown(inputDir)}/ in ${Math.round(performance.now() - started)} ms.`,
      { output },
    );
    log.message(reconciliationTable(result, color), { output });
    if (result.rejects.length > 0) log.warn(rejectsSummary(result.rejects, paths.shown(rejectsDir)), { output });
    return 0;
  },
});

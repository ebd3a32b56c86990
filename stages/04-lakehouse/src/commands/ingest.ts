import { log } from '@clack/prompts';
import { defineCommand, renderTable } from '@mart/shared';
import { loadOptions, parseLoadOptions, reconciliationTable } from '@mart/stage-02-csv-loads';
import { ingestFiles } from '../bronze/ingest-files.ts';
import { openLake } from '../open-lake.ts';

export const ingest = defineCommand({
  description:
    "Validate the CSV files (stage 2's loader) and land them in the bucket as bronze Parquet, sales split by day.",
  options: { ...loadOptions },
  examples: [
    'pnpm stage 4 ingest',
    'pnpm stage 4 ingest --input data/generated/1000000-seed-42',
    'pnpm stage 4 ingest --mine',
  ],
  async run(context) {
    const { options, io, paths, color } = context;
    const output = io.output;
    const { inputDir, maxRejectRate } = parseLoadOptions(options, paths);
    const started = performance.now();
    // The catalog is opened for writing although ingest does not change it: that lock
    // keeps `lake gc` (which deletes bronze objects without a manifest) from running meanwhile.
    const lake = await openLake(context, { catalog: 'write' });
    try {
      const { ingestId, load, landed } = await ingestFiles(lake, inputDir, context, {
        maxRejectRate,
        onStep: (message) => log.step(message, { output }),
      });
      log.message(reconciliationTable(load, color), { output });
      const bytes = landed.reduce((sum, object) => sum + object.bytes, 0);
      log.message(
        renderTable(
          landed.map(({ key, rows, bytes }) => ({ key, rows, bytes })),
          { compact: true, color },
        ),
        { output },
      );
      log.success(
        `Ingest ${ingestId}: ${landed.length} objects (${bytes.toLocaleString('en-US')} bytes) landed in ${lake.store.description} from ${paths.shown(inputDir)}/ in ${Math.round(performance.now() - started)} ms.`,
        { output },
      );
      log.info('Next: pnpm stage 4 build (bronze → silver → gold), or pnpm stage 4 lake ls bronze/', { output });
    } finally {
      await lake.close();
    }
    return 0;
  },
});

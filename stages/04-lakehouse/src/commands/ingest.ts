import { log } from '@clack/prompts';
import { countOf, defineCommand, renderTable } from '@mart/shared';
import { loadOptions, parseLoadOptions, reconciliationTable } from '@mart/stage-02-csv-loads';
import { ingestFiles } from '../bronze/ingest-files.ts';
import type { LandedObject } from '../bronze/land-bronze.ts';
import { type CommitCleanup, describeCleanup } from '../ducklake/write/commit-snapshot.ts';
import { InterruptedError, interruptedHint, interruptibleStore, trapInterrupts } from '../interrupt.ts';
import { openLake } from '../open-lake.ts';
import { testPauseBeforeCommit } from '../test-pause.ts';
import { writeThroughStore } from '../write-through-store.ts';

export const ingest = defineCommand({
  description:
    "Validate the CSV files (stage 2's loader) and land them in the bucket as bronze Parquet, sales split by day.",
  options: {
    ...loadOptions,
    verbose: { type: 'boolean', description: 'List every object landed (one per sales day), not one line per table.' },
  },
  examples: [
    'pnpm stage 4 ingest',
    'pnpm stage 4 ingest --input data/generated/1000000-seed-42',
    'pnpm stage 4 ingest --verbose',
    'pnpm stage 4 ingest --mine',
  ],
  async run(context) {
    const { options, io, paths, color, env } = context;
    const output = io.output;
    const { inputDir, maxRejectRate } = parseLoadOptions(options, paths);
    const started = performance.now();
    // Ctrl-C before the manifest is written: delete what was uploaded, not leave it for gc.
    const interrupt = trapInterrupts();
    let cleanup: CommitCleanup | undefined;
    try {
      // The catalog is opened for writing although ingest does not change it: that lock
      // keeps `lake gc` (which deletes bronze objects without a manifest) from running meanwhile.
      const lake = await openLake(context, { catalog: 'write' });
      try {
        const { ingestId, load, landed } = await ingestFiles(
          // Write-through: the next build reads these files from the local cache.
          { store: writeThroughStore(interruptibleStore(lake.store, interrupt), lake.files), pieces: lake.pieces },
          inputDir,
          context,
          {
            maxRejectRate,
            onStep: (message) => log.step(message, { output }),
            signal: interrupt.signal,
            beforeCommit: testPauseBeforeCommit(env, io, interrupt.signal),
            onCleanup: (done) => {
              cleanup = done;
              const problems = describeCleanup(done, 'ingest');
              if (problems && !interrupt.signal.aborted) log.warn(problems, { output: io.error ?? output });
            },
          },
        );
        interrupt.release();
        log.message(reconciliationTable(load, color), { output });
        const rows = options.verbose
          ? landed.map(({ key, rows, bytes }) => ({ key, rows, bytes }))
          : summarizeByTable(landed);
        log.message(renderTable(rows, { compact: true, color }), { output });
        const bytes = landed.reduce((sum, object) => sum + object.bytes, 0);
        log.success(
          `Ingest ${ingestId}: ${countOf(landed.length, 'object')} (${countOf(bytes, 'byte')}) landed in ${lake.store.description} from ${paths.shown(inputDir)}/ in ${Math.round(performance.now() - started)} ms.`,
          { output },
        );
        log.info('Next: pnpm stage 4 build (bronze → silver → gold); every object: pnpm stage 4 lake ls bronze/', {
          output,
        });
      } finally {
        await lake.close();
      }
    } catch (error) {
      if (error instanceof InterruptedError) {
        throw new InterruptedError(error.signal, { hint: interruptedHint(cleanup, 'ingest') });
      }
      throw error;
    } finally {
      interrupt.release();
    }
    return 0;
  },
});

/**
 * One line per bronze table: how many Hive partitions (`sale_date=…` folders), objects,
 * rows and bytes. A day-partitioned table has hundreds of objects; the full list is
 * `--verbose` (or `lake ls bronze/sales/`).
 */
function summarizeByTable(landed: readonly LandedObject[]): Record<string, string | number>[] {
  const tables = new Map<string, { partitions: Set<string>; objects: number; rows: number; bytes: number }>();
  for (const object of landed) {
    const [, table = '', ...rest] = object.key.split('/');
    const folders = rest.slice(0, -1);
    const entry = tables.get(table) ?? { partitions: new Set<string>(), objects: 0, rows: 0, bytes: 0 };
    if (folders.length > 0) entry.partitions.add(folders.join('/'));
    entry.objects += 1;
    entry.rows += object.rows;
    entry.bytes += object.bytes;
    tables.set(table, entry);
  }
  return [...tables].map(([table, entry]) => ({
    table: `bronze/${table}/`,
    partitions: entry.partitions.size > 0 ? entry.partitions.size : '',
    objects: entry.objects,
    rows: entry.rows,
    bytes: entry.bytes,
  }));
}

import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log } from '@clack/prompts';
import {
  buildAtomically,
  type Database,
  defineCommand,
  quoteIdentifier,
  quoteLiteral,
  renderTable,
} from '@mart/shared';
import { loadStarSchemaPieces } from '@mart/stage-01-star-schema';
import {
  checksOptions,
  loadQualityPieces,
  parseChecksOptions,
  problemLines,
  readChecksFile,
  runQuality,
  summaryLine,
} from '@mart/stage-03-quality';
import { ingestSeeds } from '../bronze/ingest-files.ts';
import { readBronze } from '../bronze/read-bronze.ts';
import { commitSnapshot } from '../ducklake/write/commit-snapshot.ts';
import { goldMarts } from '../gold/gold-marts.ts';
import { openLake } from '../open-lake.ts';
import { allRowsOf, type PublishedTable, publishTable } from '../publish-tables.ts';
import { buildSilver } from '../silver/build-silver.ts';

/** Silver's tables: stage 1's star schema plus what the loader rejected. */
const silverTables = ['dim_customer', 'dim_product', 'dim_store', 'dim_date', 'fact_sales', 'rejected_rows'];

export const build = defineCommand({
  description:
    'bronze → silver (conformed star schema, checked by stage 3) → gold marts, committed as ONE new lake snapshot.',
  options: { ...checksOptions },
  examples: ['pnpm stage 4 build', 'pnpm stage 4 build --now 2025-01-01', 'pnpm stage 4 build --mine'],
  async run(context) {
    const { options, mine, io, paths, color } = context;
    const output = io.output;
    const started = performance.now();
    const { checksPath, now } = parseChecksOptions(options, paths);
    const checksFile = readChecksFile(checksPath, paths.shown(checksPath));
    const lake = await openLake(context, { catalog: 'write' });
    try {
      const session = lake.session;
      if (!session) return 1;
      const { db } = session;

      log.step('Reading bronze', { output });
      let bronze = await readBronze(lake.store, lake.files.fetch);
      if (bronze.ingests.length === 0) {
        // A first build on a fresh clone (`pnpm start`): land the seeds, as `pnpm stage 4 ingest` would.
        log.info('Bronze is empty: ingesting data/seeds/stage-02 first (what pnpm stage 4 ingest does).', { output });
        await ingestSeeds(lake, context);
        bronze = await readBronze(lake.store, lake.files.fetch);
      }
      log.step(`Building silver from ${bronze.ingests.length} ingest(s)`, { output });
      await buildSilver(db, bronze.files, bronze.ingests.at(-1) ?? '', await loadStarSchemaPieces(mine, paths));

      // The gate: silver is checked before anything is committed. A failed check means
      // no new snapshot: readers keep seeing the last good one.
      const quality = await runQuality(db, {
        warehouse: 'lake silver (candidate)',
        checksFile,
        pieces: await loadQualityPieces(mine, paths),
        command: 'build',
        now,
        mine: mine.covers(3, '03-quality'),
        paths,
      });
      const problems = problemLines(quality.report);
      const summary = `${summaryLine(quality.report)}${problems.length > 0 ? `\n${problems.join('\n')}` : ''}`;
      if (quality.report.summary.fail > 0 || quality.report.summary.error > 0) {
        log.error(`Blocked: no snapshot committed. ${summary}\nReport: ${paths.shown(quality.dir)}/report.json`, {
          output,
        });
        return quality.report.exit_code;
      }
      (quality.report.summary.warn > 0 ? log.warn : log.success)(summary, { output });

      log.step('Committing silver and gold to the lake', { output });
      const { snapshotId, result } = await commitSnapshot(
        session,
        async (tx) => {
          const published: PublishedTable[] = [];
          for (const name of silverTables) {
            published.push(
              await publishTable(tx, lake.store, lake.pieces, { schema: 'silver', name, sourceSql: allRowsOf(name) }),
            );
          }
          for (const [name, sql] of Object.entries(goldMarts)) {
            published.push(await publishTable(tx, lake.store, lake.pieces, { schema: 'gold', name, sourceSql: sql }));
          }
          return published;
        },
        { message: `build from ingests ${bronze.ingests.join(', ')}` },
      );
      log.message(
        renderTable(
          result.map((table) => ({
            table: table.table,
            rows: table.rows,
            bytes: table.bytes,
            'new columns': table.added.join(', '),
          })),
          { compact: true, color },
        ),
        { output },
      );

      // A local copy of the latest silver and gold, so stage 1's explore/export/inspect work on it.
      const serving = paths.warehouse(4);
      await writeServingCopy(db, serving);
      log.success(
        `Snapshot ${snapshotId} committed in ${Math.round(performance.now() - started)} ms; ${lake.files.downloaded.files} bronze files downloaded (${lake.files.downloaded.bytes.toLocaleString('en-US')} bytes). Local copy for explore: ${paths.shown(serving)}.`,
        { output },
      );
      log.info('Next: pnpm stage 4 snapshots, pnpm stage 4 query "select * from gold.revenue_by_month"', { output });
      return 0;
    } finally {
      await lake.close();
    }
  },
});

/** Copies silver's star schema and the gold marts from memory into a warehouse file, atomically. */
async function writeServingCopy(db: Database, target: string): Promise<void> {
  const dir = join(tmpdir(), `mart-serving-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const tables: [string, string][] = [
      ...silverTables.map((name): [string, string] => [name, allRowsOf(name)]),
      ...Object.entries(goldMarts).map(([name, sql]): [string, string] => [`gold_${name}`, sql]),
    ];
    for (const [name, sql] of tables) {
      await db.run(`copy (${sql}) to ${quoteLiteral(join(dir, `${name}.parquet`))} (format parquet)`);
    }
    await buildAtomically(target, async (serving) => {
      for (const [name] of tables) {
        await serving.run(
          `create table ${quoteIdentifier(name)} as select * from read_parquet(${quoteLiteral(join(dir, `${name}.parquet`))})`,
        );
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

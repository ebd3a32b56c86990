import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { log } from '@clack/prompts';
import { countOf, defineCommand, renderTable } from '@mart/shared';
import { loadStarSchemaPieces } from '@mart/stage-01-star-schema';
import {
  checksOptions,
  loadQualityPieces,
  parseChecksOptions,
  problemLines,
  readChecksFile,
  summaryLine,
} from '@mart/stage-03-quality';
import { ingestSeeds } from '../bronze/ingest-files.ts';
import { readBronze } from '../bronze/read-bronze.ts';
import { cachedLakeFiles } from '../cached-lake-files.ts';
import { checkSilver } from '../check-silver.ts';
import { type CommitCleanup, commitSnapshot, describeCleanup } from '../ducklake/write/commit-snapshot.ts';
import { goldMarts } from '../gold/gold-marts.ts';
import { InterruptedError, interruptedHint, interruptibleStore, trapInterrupts } from '../interrupt.ts';
import { openLake } from '../open-lake.ts';
import { allRowsOf, type PublishedTable, type PublishTarget, publishTables } from '../publish-tables.ts';
import { writeServingCopy } from '../serving-copy.ts';
import { buildSilver, silverTables } from '../silver/build-silver.ts';
import { testPauseBeforeCommit } from '../test-pause.ts';
import { describeBuildReads } from '../transfer-summary.ts';
import { unchangedSince } from '../unchanged-tables.ts';
import { writeThroughStore } from '../write-through-store.ts';

/** Every table one build publishes: silver's star schema, then the gold marts. */
const publishTargets: readonly PublishTarget[] = [
  ...silverTables.map((name) => ({ schema: 'silver', name, sourceSql: allRowsOf(name) })),
  ...Object.entries(goldMarts).map(([name, sql]) => ({ schema: 'gold', name, sourceSql: sql })),
];

export const build = defineCommand({
  description:
    'bronze → silver (conformed star schema, checked by stage 3) → gold marts, committed as ONE new lake snapshot (none when nothing changed).',
  options: { ...checksOptions },
  examples: ['pnpm stage 4 build', 'pnpm stage 4 build --now 2025-01-01', 'pnpm stage 4 build --mine'],
  async run(context) {
    const { options, mine, io, paths, color, env } = context;
    const output = io.output;
    const warnings = io.error ?? output;
    const started = performance.now();
    const { checksPath, now } = parseChecksOptions(options, paths);
    const checksFile = readChecksFile(checksPath, paths.shown(checksPath));
    // Ctrl-C from here until the commit: stop at the next safe point and undo, not die half-way.
    const interrupt = trapInterrupts();
    let cleanup: { of: 'commit' | 'ingest'; what: CommitCleanup } | undefined;
    const remember = (of: 'commit' | 'ingest') => (what: CommitCleanup) => {
      cleanup = { of, what };
      const problems = describeCleanup(what, of);
      if (problems && !interrupt.signal.aborted) log.warn(problems, { output: warnings });
    };
    try {
      const lake = await openLake(context, { catalog: 'write' });
      try {
        const session = lake.session;
        if (!session) return 1;
        const { db } = session;
        const files = cachedLakeFiles(interruptibleStore(lake.store, interrupt), join(paths.lake(), 'cache'));
        // What this build uploads is cached too: reading it back costs nothing.
        const store = writeThroughStore(interruptibleStore(lake.store, interrupt), files);

        log.step('Reading bronze', { output });
        let bronze = await readBronze(store, files.fetch);
        if (bronze.ingests.length === 0) {
          // A first build on a fresh clone (`pnpm start`): land the seeds, as `pnpm stage 4 ingest` would.
          log.info('Bronze is empty: ingesting data/seeds/stage-02 first (what pnpm stage 4 ingest does).', {
            output,
          });
          await ingestSeeds({ store, pieces: lake.pieces }, context, {
            signal: interrupt.signal,
            onCleanup: remember('ingest'),
          });
          bronze = await readBronze(store, files.fetch);
        }
        interrupt.check();
        log.step(`Building silver from ${countOf(bronze.ingests.length, 'ingest')}`, { output });
        await buildSilver(db, bronze.files, bronze.ingests.at(-1) ?? '', await loadStarSchemaPieces(mine, paths));
        interrupt.check();

        // The gate: silver is checked before anything is committed. A failed check means
        // no new snapshot: readers keep seeing the last good one. The checks read a
        // read-only copy, so no check can change what is committed.
        const quality = await checkSilver(db, silverTables, {
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
          log.error(
            `Blocked: no snapshot committed. ${summary}\nReport: ${paths.shown(join(quality.dir, 'report.json'))}`,
            { output },
          );
          return quality.report.exit_code;
        }
        (quality.report.summary.warn > 0 ? log.warn : log.success)(summary, { output });
        interrupt.check();

        const serving = paths.warehouse(4);
        const since = await unchangedSince(session, files, lake.pieces, publishTargets);
        if (since !== undefined) {
          // Same rows as the latest snapshot: a new one would only repeat it.
          const restored = !existsSync(serving);
          if (restored) await writeServingCopy(db, serving);
          log.success(
            `Nothing changed since snapshot ${since}: no new snapshot. ${capitalized(describeBuildReads(files.downloaded, files.read))}.${restored ? ` Local copy for explore written again: ${paths.shown(serving)}.` : ''}`,
            { output },
          );
          log.info('Next: pnpm stage 4 ingest --input <folder> with new data, then pnpm stage 4 build', { output });
          return 0;
        }

        log.step('Committing silver and gold to the lake', { output });
        const { snapshotId, result } = await commitSnapshot(
          session,
          (tx): Promise<PublishedTable[]> => publishTables(tx, store, lake.pieces, publishTargets),
          {
            message: `build from ingests ${bronze.ingests.join(', ')}`,
            signal: interrupt.signal,
            beforeCommit: testPauseBeforeCommit(env, io, interrupt.signal),
            onCleanup: remember('commit'),
          },
        );
        // Committed: from here a Ctrl-C may end the process (the serving copy is written atomically).
        interrupt.release();
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
        await writeServingCopy(db, serving);
        log.success(
          `Snapshot ${snapshotId} committed in ${Math.round(performance.now() - started)} ms; ${describeBuildReads(files.downloaded, files.read)}. Local copy for explore: ${paths.shown(serving)}.`,
          { output },
        );
        log.info('Next: pnpm stage 4 snapshots, pnpm stage 4 query "select * from gold.revenue_by_month"', { output });
        return 0;
      } finally {
        await lake.close();
      }
    } catch (error) {
      if (error instanceof InterruptedError) {
        throw new InterruptedError(error.signal, { hint: interruptedHint(cleanup?.what, cleanup?.of ?? 'commit') });
      }
      throw error;
    } finally {
      interrupt.release();
    }
  },
});

function capitalized(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

import { log } from '@clack/prompts';
import { buildAtomically, Database, defineCommand, publishDatabase } from '@mart/shared';
import { loadStarSchemaPieces } from '@mart/stage-01-star-schema';
import {
  loadCsvPieces,
  loadCsvWarehouse,
  loadOptions,
  parseLoadOptions,
  readInputs,
  reconciliationTable,
  rejectsSummary,
  writeRejectFiles,
} from '@mart/stage-02-csv-loads';
import { candidatePath } from '../candidate-path.ts';
import { readChecksFile } from '../checks-file/read-checks-file.ts';
import { loadQualityPieces } from '../pieces.ts';
import { problemLines, renderResults, summaryLine } from '../report/render-results.ts';
import { writeReport } from '../report/write-report.ts';
import { runQuality } from '../run/run-quality.ts';
import { checksOptions, parseChecksOptions } from './checks-options.ts';

export const build = defineCommand({
  description:
    "Load the CSVs (stage 2's loader) into a candidate warehouse, run the checks, and publish it only if no check fails.",
  options: {
    ...loadOptions,
    ...checksOptions,
  },
  examples: [
    'pnpm stage 3 build',
    'pnpm stage 3 build --input data/generated/1000000-seed-42 --now 2025-01-01',
    'pnpm stage 3 build --mine',
  ],
  async run({ options, mine, io, paths, color }) {
    const output = io.output;
    const { inputDir, maxRejectRate } = parseLoadOptions(options, paths);
    const { checksPath, now } = parseChecksOptions(options, paths);
    const started = performance.now();

    // Everything that can be wrong with the inputs or the checks is found before any file is written.
    const checksFile = readChecksFile(checksPath, paths.shown(checksPath));
    const pieces = await loadCsvPieces(mine, paths);
    const inputs = readInputs(inputDir, pieces);
    const starPieces = await loadStarSchemaPieces(mine, paths);
    const qualityPieces = await loadQualityPieces(mine, paths);

    // 1. Load into the candidate, never into the published warehouse.
    const candidate = candidatePath(paths, 3);
    const load = await buildAtomically(candidate, (db) =>
      loadCsvWarehouse(db, inputs, {
        pieces,
        starPieces,
        maxRejectRate,
        onStep: (message) => log.step(message, { output }),
      }),
    );
    log.message(reconciliationTable(load, color), { output });

    // 2. Check the candidate.
    const db = await Database.open(candidate, { readOnly: true });
    let run: Awaited<ReturnType<typeof runQuality>>;
    try {
      run = await runQuality(db, {
        warehouse: candidate,
        checksFile,
        pieces: qualityPieces,
        command: 'build',
        now,
        mine: mine.covers(3, '03-quality'),
        paths,
      });
    } finally {
      db.close();
    }
    log.message(renderResults(run.report, color), { output });
    const problems = problemLines(run.report);
    const summary = `${summaryLine(run.report)}${problems.length > 0 ? `\n${problems.join('\n')}` : ''}`;

    // 3. The gate: publish only when no check failed or errored. Warnings are published, and reported.
    const target = paths.warehouse(3);
    const blocked = run.report.summary.fail > 0 || run.report.summary.error > 0;
    if (blocked) {
      writeReport(run.dir, { ...run.report, published: false });
      log.error(
        `Blocked: the candidate was NOT published. ${summary}\n` +
          `The published warehouse ${paths.shown(target)} and its reject files are unchanged. The blocked candidate stays at ${paths.shown(candidate)}` +
          ` (its rejects in its rejected_rows table):\n` +
          `  pnpm stage 3 quality --warehouse ${paths.shown(candidate)}`,
        { output },
      );
      log.info(`Report: ${paths.shown(run.dir)}/report.json`, { output });
      return run.report.exit_code;
    }
    await publishDatabase(candidate, target);
    // The reject files describe the published warehouse: rewritten (emptied when there are
    // none) only once it is published, never by a blocked build.
    const rejectsDir = writeRejectFiles(load.rejects, paths.output('rejects', 3));
    if (load.rejects.length > 0) log.warn(rejectsSummary(load.rejects, paths.shown(rejectsDir)), { output });
    writeReport(run.dir, { ...run.report, published: true });
    (run.report.summary.warn > 0 ? log.warn : log.success)(summary, { output });
    log.success(
      `Published ${paths.shown(target)} in ${Math.round(performance.now() - started)} ms. Report: ${paths.shown(run.dir)}/report.json`,
      { output },
    );
    return 0;
  },
});

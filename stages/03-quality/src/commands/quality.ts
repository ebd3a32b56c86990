import { log } from '@clack/prompts';
import { countOf, Database, defineCommand, openWarehouse, positiveInteger, renderTable } from '@mart/shared';
import { readChecksFile } from '../checks-file/read-checks-file.ts';
import { loadQualityPieces } from '../pieces.ts';
import { readHistory } from '../report/read-history.ts';
import { problemLines, renderResults, summaryLine } from '../report/render-results.ts';
import { runQuality } from '../run/run-quality.ts';
import { checksOptions, parseChecksOptions } from './checks-options.ts';

export const quality = defineCommand({
  description:
    'Run the quality checks on the warehouse: a results table, a report folder, exit 0 pass / 1 warn / 2 fail / 3 error.',
  options: {
    ...checksOptions,
    select: {
      type: 'string',
      valueName: 'SEL',
      description: 'Only some checks: a table, a check name or id, or a check type (comma-separated).',
    },
    history: { type: 'boolean', description: 'List earlier runs with their pass/warn/fail/error counts.' },
    limit: {
      type: 'string',
      valueName: 'N',
      description: 'With --history: how many runs to list, newest first.',
      default: '20',
    },
    warehouse: {
      type: 'string',
      valueName: 'FILE',
      description: 'Check another DuckDB file, e.g. the candidate a blocked build left behind.',
    },
  },
  examples: [
    'pnpm stage 3 quality',
    'pnpm stage 3 quality --select fact_sales',
    'pnpm stage 3 quality --select freshness --now 2025-01-15',
    'pnpm stage 3 quality --history',
    'pnpm stage 3 quality --warehouse data/warehouse/stage-03.candidate.duckdb',
    'pnpm stage 3 quality --mine',
  ],
  async run({ options, mine, io, paths, color }) {
    const output = io.output;
    if (options.history) {
      const all = readHistory(paths);
      const runs = all.slice(0, positiveInteger(options.limit, 'limit') ?? 20);
      if (runs.length === 0) {
        log.info('No quality runs yet. Run: pnpm stage 3 quality', { output });
        return 0;
      }
      log.message(
        renderTable(
          runs.map(({ runId, report }) => ({
            run: runId,
            command: report?.command ?? '?',
            warehouse: report?.warehouse ?? 'unreadable report.json',
            pass: report?.summary.pass ?? null,
            warn: report?.summary.warn ?? null,
            fail: report?.summary.fail ?? null,
            error: report?.summary.error ?? null,
            outcome: report?.outcome ?? '',
            published: report?.published === true ? 'yes' : report?.published === false ? 'BLOCKED' : '',
          })),
          { compact: true, color },
        ),
        { output },
      );
      if (all.length > runs.length)
        log.info(`${countOf(all.length - runs.length, 'older run')} not shown (--limit ${all.length} shows all).`, {
          output,
        });
      return 0;
    }

    const { checksPath, now } = parseChecksOptions(options, paths);
    const checksFile = readChecksFile(checksPath, paths.shown(checksPath));
    const pieces = await loadQualityPieces(mine, paths);
    const warehouse = options.warehouse !== undefined ? paths.resolve(options.warehouse) : paths.warehouse(3);
    const db =
      options.warehouse !== undefined
        ? await Database.open(warehouse, { readOnly: true })
        : await openWarehouse(paths, 3);
    let run: Awaited<ReturnType<typeof runQuality>>;
    try {
      run = await runQuality(db, {
        warehouse,
        checksFile,
        pieces,
        command: 'quality',
        select: options.select,
        now,
        mine: mine.covers(3, '03-quality'),
        paths,
      });
    } finally {
      db.close();
    }
    log.step(
      `Checked ${paths.shown(warehouse)} with ${checksFile.path} (reference time ${run.report.reference_time}) in ${run.report.duration_ms} ms.`,
      { output },
    );
    log.message(renderResults(run.report, color), { output });
    const problems = problemLines(run.report);
    const say = { pass: log.success, warn: log.warn, fail: log.error, error: log.error }[run.report.outcome];
    say(`${summaryLine(run.report)}${problems.length > 0 ? `\n${problems.join('\n')}` : ''}`, { output });
    log.info(`Report: ${paths.shown(run.dir)}/report.json (also report.csv, samples/)`, { output });
    return run.report.exit_code;
  },
});

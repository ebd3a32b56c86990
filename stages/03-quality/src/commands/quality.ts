import { resolve } from 'node:path';
import { log } from '@clack/prompts';
import {
  type Command,
  Database,
  openWarehouse,
  positiveInteger,
  renderTable,
  shownPath,
  warehousePath,
} from '@mart/shared';
import { readChecksFile } from '../checks-file/read-checks-file.ts';
import { loadQualityPieces } from '../pieces.ts';
import { readHistory } from '../report/read-history.ts';
import { problemLines, renderResults, summaryLine } from '../report/render-results.ts';
import { runQuality } from '../run/run-quality.ts';
import { checksOptions, parseChecksOptions } from './checks-options.ts';

export const quality: Command = {
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
  async run({ options, mine, io }) {
    const output = io.output;
    if (options.history === true) {
      const all = readHistory();
      const runs = all.slice(0, positiveInteger(options, 'limit') ?? 20);
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
          { compact: true },
        ),
        { output },
      );
      if (all.length > runs.length)
        log.info(`${all.length - runs.length} older runs not shown (--limit ${all.length} shows all).`, { output });
      return 0;
    }

    const { checksPath, now } = parseChecksOptions(options);
    const checksFile = readChecksFile(checksPath, shownPath(checksPath));
    const pieces = await loadQualityPieces(mine);
    const warehouse = typeof options.warehouse === 'string' ? resolve(options.warehouse) : warehousePath(3);
    const db =
      typeof options.warehouse === 'string'
        ? await Database.open(warehouse, { readOnly: true })
        : await openWarehouse(3);
    let run: Awaited<ReturnType<typeof runQuality>>;
    try {
      run = await runQuality(db, {
        warehouse,
        checksFile,
        pieces,
        command: 'quality',
        select: typeof options.select === 'string' ? options.select : undefined,
        now,
        mine,
      });
    } finally {
      db.close();
    }
    const color = Boolean((output as { isTTY?: boolean }).isTTY) && !process.env.NO_COLOR;
    log.step(
      `Checked ${shownPath(warehouse)} with ${checksFile.path} (reference time ${run.report.reference_time}) in ${run.report.duration_ms} ms${mine ? ' with your checks' : ''}.`,
      { output },
    );
    log.message(renderResults(run.report, color), { output });
    const problems = problemLines(run.report);
    const say = { pass: log.success, warn: log.warn, fail: log.error, error: log.error }[run.report.outcome];
    say(`${summaryLine(run.report)}${problems.length > 0 ? `\n${problems.join('\n')}` : ''}`, { output });
    log.info(`Report: ${shownPath(run.dir)}/report.json (also report.csv, samples/)`, { output });
    return run.report.exit_code;
  },
};

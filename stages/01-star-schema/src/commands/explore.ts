import { intro, log, outro, select, text } from '@clack/prompts';
import {
  answerOrUndefined,
  type Command,
  type Database,
  formatRows,
  type Io,
  NotImplementedError,
  type OutputFormat,
  openWarehouse,
  outputFormats,
  renderBarChart,
  renderTable,
  UsageError,
  writeLine,
} from '@mart/shared';
import type { Analysis } from '../analyses/analysis.ts';
import { analyses, findAnalysis } from '../analyses/index.ts';
import { checkParam, parseParams } from '../analyses/params.ts';
import { loadPieces, type StarSchemaPieces } from '../pieces.ts';

/**
 * `explore` for any stage whose warehouse holds the star schema (stage 1, and stage 2
 * onwards reuse it). A stage can add analyses of its own tables after stage 1's.
 */
export function exploreCommand(stage: number, extra: readonly Analysis[] = []): Command {
  const menu = [...analyses, ...extra];
  return {
    description: 'Explore the mart: an interactive menu of analyses, or one analysis with --query.',
    options: {
      query: {
        type: 'string',
        valueName: 'name',
        description: `Run one analysis and exit: ${menu.map((a) => a.name).join(', ')}.`,
      },
      limit: { type: 'string', valueName: 'N', description: 'For top-customers: how many (default 5).' },
      from: {
        type: 'string',
        valueName: 'YYYY-MM-DD',
        description: 'For revenue-between: first day (default 2024-01-01).',
      },
      to: {
        type: 'string',
        valueName: 'YYYY-MM-DD',
        description: 'For revenue-between: last day (default 2024-12-31).',
      },
      format: { type: 'string', description: 'Output format with --query.', default: 'table', choices: outputFormats },
    },
    examples: [
      `pnpm stage ${stage} explore`,
      `pnpm stage ${stage} explore --query top-customers --limit 3 --format json`,
      `pnpm stage ${stage} explore --query revenue-between --from 2024-03-01 --to 2024-05-31`,
    ],
    async run({ options, mine, io }) {
      const pieces = await loadPieces(mine);
      if (typeof options.query !== 'string' && io.input === process.stdin && !process.stdin.isTTY) {
        throw new UsageError('explore is interactive and needs a terminal.', {
          hint: `In scripts use --query <name>: ${menu.map((a) => a.name).join(', ')}.`,
        });
      }
      const db = await openWarehouse(stage);
      try {
        if (typeof options.query === 'string') {
          const analysis = findAnalysis(options.query, menu);
          const params = parseParams(analysis.params, {
            limit: asString(options.limit),
            from: asString(options.from),
            to: asString(options.to),
          });
          const rows = await analysis.run(db, pieces, params);
          const format = options.format as OutputFormat;
          writeLine(io, formatRows(rows, format).trimEnd());
          if (format === 'table' && analysis.chart && rows.length > 0)
            writeLine(io, `\n${renderBarChart(analysis.chart(rows))}`);
          return 0;
        }
        await exploreInteractively(stage, db, pieces, io, menu);
        return 0;
      } finally {
        db.close();
      }
    },
  };
}

/** The menu loop: pick an analysis, answer its questions, see the result, repeat until Quit. */
async function exploreInteractively(
  stage: number,
  db: Database,
  pieces: StarSchemaPieces,
  io: Io,
  menu: readonly Analysis[],
): Promise<void> {
  const { input, output } = io;
  intro(`Explore the stage ${stage} star schema`, { output });
  for (;;) {
    const choice = answerOrUndefined(
      await select({
        message: 'What would you like to see?',
        options: [
          ...menu.map((analysis) => ({ value: analysis.name, label: analysis.title, hint: analysis.description })),
          { value: 'quit', label: 'Quit' },
        ],
        input,
        output,
      }),
    );
    if (choice === undefined || choice === 'quit') break;
    const analysis = findAnalysis(choice, menu);
    const raw = await askParams(analysis, io);
    if (raw === undefined) continue; // cancelled a question: back to the menu
    try {
      const rows = await analysis.run(db, pieces, parseParams(analysis.params, raw));
      if (rows.length === 0) log.warn('No rows.', { output });
      else log.message(renderTable(rows), { output });
      if (analysis.chart && rows.length > 0) log.message(renderBarChart(analysis.chart(rows)), { output });
    } catch (error) {
      // A wrong date range or an unfinished exercise should not end the session.
      if (!(error instanceof UsageError || error instanceof NotImplementedError)) throw error;
      log.error(`${error.message}${error.hint ? `\n${error.hint}` : ''}`, { output });
    }
  }
  outro(`Bye! Try \`pnpm stage ${stage} export\` or \`pnpm grade ${stage}\` next.`, { output });
}

async function askParams(analysis: Analysis, { input, output }: Io): Promise<Record<string, string> | undefined> {
  const raw: Record<string, string> = {};
  for (const param of analysis.params) {
    const answer = answerOrUndefined(
      await text({
        message: param.message,
        placeholder: param.default,
        defaultValue: param.default,
        validate: (value) => checkParam(param, value || param.default),
        input,
        output,
      }),
    );
    if (answer === undefined) return undefined;
    raw[param.name] = answer || param.default;
  }
  return raw;
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

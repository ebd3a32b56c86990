import { intro, log, outro, select, text } from '@clack/prompts';
import {
  answerOrUndefined,
  CliError,
  type Command,
  type Database,
  defineCommand,
  ExerciseError,
  formatRows,
  type Io,
  type MineScope,
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
import { loadStarSchemaPieces, type StarSchemaPieces } from '../pieces.ts';

/**
 * `explore` for any stage whose warehouse holds the star schema (stage 1, and stage 2
 * onwards reuse it). A stage can add analyses of its own tables after stage 1's.
 */
export function exploreCommand(stage: number, extra: readonly Analysis[] = []): Command {
  const menu = [...analyses, ...extra];
  return defineCommand({
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
    async run({ options, mine, io, paths, color }) {
      const pieces = await loadStarSchemaPieces(mine, paths);
      if (options.query === undefined && io.input === process.stdin && !process.stdin.isTTY) {
        throw new UsageError('explore is interactive and needs a terminal.', {
          hint: `In scripts use --query <name>: ${menu.map((a) => a.name).join(', ')}.`,
        });
      }
      const db = await openWarehouse(paths, stage);
      try {
        if (options.query !== undefined) {
          const analysis = findAnalysis(options.query, menu);
          const params = parseParams(analysis.params, { limit: options.limit, from: options.from, to: options.to });
          const rows = await analysis.run(db, pieces, params);
          writeLine(io, formatRows(rows, options.format, { color }).trimEnd());
          if (options.format === 'table' && analysis.chart && rows.length > 0)
            writeLine(io, `\n${renderBarChart(analysis.chart(rows))}`);
          return 0;
        }
        await exploreInteractively({ stage, db, pieces, io, menu, mine, color });
        return 0;
      } finally {
        db.close();
      }
    },
  });
}

/** What the interactive menu needs. */
interface ExploreSession {
  stage: number;
  db: Database;
  pieces: StarSchemaPieces;
  io: Io;
  menu: readonly Analysis[];
  mine: MineScope;
  color: boolean;
}

/** The menu loop: pick an analysis, answer its questions, see the result, repeat until Quit. */
async function exploreInteractively(session: ExploreSession): Promise<void> {
  const { stage, db, pieces, io, menu, mine, color } = session;
  const { input, output } = io;
  intro(`Explore the stage ${stage} star schema`, { output });
  // Say up front whose queries the menu runs: with --mine, the learner's.
  if (mine.active)
    log.info(
      mine.covers(1, '01-star-schema')
        ? 'Running your stage 1 queries (exercises/01-star-schema/).'
        : "Running the reference stage 1 queries: --mine here covers another stage's pieces.",
      { output },
    );
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
      else log.message(renderTable(rows, { color }), { output });
      if (analysis.chart && rows.length > 0) log.message(renderBarChart(analysis.chart(rows)), { output });
    } catch (error) {
      // A wrong date range, an unfinished or failing exercise: show it, stay in the menu.
      if (!(error instanceof CliError)) throw error;
      const text = error instanceof ExerciseError ? error.describe() : error.message;
      log.error(`${text}${error.hint ? `\n${error.hint}` : ''}`, { output });
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

import { defineCommand, formatRows, outputFormats, UsageError } from '@mart/shared';
import { type Lake, lakeQueryPlans, openLake } from '../open-lake.ts';
import { queryLake } from '../query-lake.ts';
import { describeQueryReads } from '../transfer-summary.ts';

export const query = defineCommand({
  description: 'Run SQL over the lake at the latest snapshot, or travel back with --at or --as-of.',
  usage: '"<sql>"',
  options: {
    at: { type: 'string', valueName: 'N', description: 'Read the lake as it was at snapshot N (0: the empty lake).' },
    'as-of': {
      type: 'string',
      valueName: 'TIME',
      description: 'Read the lake as it was at a time, e.g. 2026-11-29T10:00:00Z (the last snapshot then).',
    },
    format: {
      type: 'string',
      valueName: 'F',
      description: 'table, csv or json.',
      default: 'table',
      choices: outputFormats,
    },
  },
  examples: [
    'pnpm stage 4 query "select * from gold.revenue_by_month"',
    'pnpm stage 4 query "select count(*) from silver.fact_sales" --at 3',
    'pnpm stage 4 query "select * from gold.store_performance" --as-of 2026-11-29T10:00:00Z',
  ],
  async run(context) {
    const { options, positionals, io, color } = context;
    const sql = positionals.join(' ').trim();
    if (sql === '')
      throw new UsageError('Give the SQL to run, in quotes.', {
        hint: 'pnpm stage 4 query "select * from gold.revenue_by_month"',
      });
    if (options.at !== undefined && options['as-of'] !== undefined)
      throw new UsageError('Use --at or --as-of, not both.');
    const at = options.at === undefined ? undefined : snapshotNumber(options.at);
    // Opened only when no saved plan answers the query: a plan reads cached files alone.
    let lake: Lake | undefined;
    try {
      const result = await queryLake({
        sql,
        at: at !== undefined ? { id: at } : options['as-of'] !== undefined ? { at: options['as-of'] } : 'latest',
        openLake: async () => {
          lake = await openLake(context, { catalog: 'read' });
          if (!lake.session) throw new Error('openLake returned no catalog session.');
          return { files: lake.files, pieces: lake.pieces, session: lake.session };
        },
        // With --mine a query runs your visibleDataFiles every time: saved plans are the reference's.
        ...(context.mine.covers(4, '04-lakehouse') ? {} : { plans: lakeQueryPlans(context) }),
      });
      io.output.write(`${formatRows(result.rows, options.format, { color })}\n`);
      if (options.format === 'table') {
        // Only with the table format: csv and json stay machine-readable.
        const downloaded = lake?.files.downloaded ?? { files: 0, bytes: 0 };
        io.output.write(
          `snapshot ${result.snapshot.id} (${result.snapshot.time}); ${describeQueryReads(result.files, downloaded)}\n`,
        );
      }
    } finally {
      await lake?.close();
    }
    return 0;
  },
});

function snapshotNumber(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < 0) {
    throw new UsageError(`--at must be a snapshot number, not "${raw}".`, {
      hint: 'pnpm stage 4 snapshots lists them; 0 is the empty lake.',
    });
  }
  return value;
}

import { defineCommand, formatRows, outputFormats, UsageError } from '@mart/shared';
import { createLakeViews } from '../create-lake-views.ts';
import { catalogAlias } from '../ducklake/lake-session.ts';
import { resolveSnapshot, type SnapshotSelector } from '../ducklake/read/resolve-snapshot.ts';
import { openLake } from '../open-lake.ts';

export const query = defineCommand({
  description: 'Run SQL over the lake at the latest snapshot, or travel back with --at or --as-of.',
  usage: '"<sql>"',
  options: {
    at: { type: 'string', valueName: 'N', description: 'Read the lake as it was at snapshot N.' },
    'as-of': {
      type: 'string',
      valueName: 'TIME',
      description: 'Read the lake as it was at a time (the last snapshot then).',
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
    const lake = await openLake(context, { catalog: 'read' });
    try {
      const session = lake.session;
      if (!session) return 1;
      const selector: SnapshotSelector =
        options.at !== undefined
          ? { id: snapshotNumber(options.at) }
          : options['as-of'] !== undefined
            ? { at: options['as-of'] }
            : 'latest';
      const snapshot = await resolveSnapshot(session.db, catalogAlias, selector);
      // Only the tables the SQL mentions get views, so only their files are downloaded.
      const text = sql.toLowerCase();
      await createLakeViews(session, lake.files, lake.pieces, snapshot.id, (_, table) =>
        text.includes(table.toLowerCase()),
      );
      const rows = await session.db.all(sql);
      io.output.write(`${formatRows(rows, options.format, { color })}\n`);
      if (options.format === 'table') {
        // Only with the table format: csv and json stay machine-readable.
        io.output.write(
          `snapshot ${snapshot.id} (${snapshot.time}); ${lake.files.downloaded.files} files downloaded (${lake.files.downloaded.bytes.toLocaleString('en-US')} bytes), the rest from the cache\n`,
        );
      }
    } finally {
      await lake.close();
    }
    return 0;
  },
});

function snapshotNumber(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`--at must be a snapshot number, not "${raw}".`);
  return value;
}

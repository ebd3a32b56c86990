import { CliError, defineCommand, formatRows, outputFormats, SqlError, UsageError } from '@mart/shared';
import { createLakeViews } from '../create-lake-views.ts';
import { catalogAlias, type LakeSession } from '../ducklake/lake-session.ts';
import { catalogAtSnapshot } from '../ducklake/read/catalog-at-snapshot.ts';
import { analyzeQuery } from '../ducklake/read/query-needs.ts';
import { resolveSnapshot, type SnapshotSelector } from '../ducklake/read/resolve-snapshot.ts';
import { openLake } from '../open-lake.ts';
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
    const lake = await openLake(context, { catalog: 'read' });
    try {
      const session = lake.session;
      if (!session) return 1;
      const selector: SnapshotSelector =
        at !== undefined
          ? { id: at }
          : options['as-of'] !== undefined
            ? { at: await parseTime(session, options['as-of']) }
            : 'latest';
      const snapshot = await resolveSnapshot(session.db, catalogAlias, selector);
      // Only the tables the SQL reads get views, and of their files only what it reads:
      // DuckDB's parser says which tables, columns and simple filters (analyzeQuery).
      // SQL it cannot follow reads every table it names, whole.
      const needs = await analyzeQuery(session.db, sql);
      const text = sql.toLowerCase();
      const views = await createLakeViews(
        session,
        lake.files,
        lake.pieces,
        snapshot.id,
        needs.understood
          ? (schema, table) => needs.mentions(schema, table)
          : (_, table) => text.includes(table.toLowerCase()),
        { needs },
      );
      const rows = await session.db.all(sql).catch(async (error: unknown) => {
        throw await queryFailed(session, snapshot.id, error);
      });
      io.output.write(`${formatRows(rows, options.format, { color })}\n`);
      if (options.format === 'table') {
        // Only with the table format: csv and json stay machine-readable.
        io.output.write(
          `snapshot ${snapshot.id} (${snapshot.time}); ${describeQueryReads(views.files, lake.files.downloaded)}\n`,
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
  if (raw.trim() === '' || !Number.isInteger(value) || value < 0) {
    throw new UsageError(`--at must be a snapshot number, not "${raw}".`, {
      hint: 'pnpm stage 4 snapshots lists them; 0 is the empty lake.',
    });
  }
  return value;
}

/**
 * --as-of as DuckDB reads a TIMESTAMPTZ (what resolveSnapshot compares with), checked
 * before use: "yesterday" is the user's typo, not our bug. A time without a zone is UTC.
 */
async function parseTime(session: LakeSession, raw: string): Promise<string> {
  const valid = await session.db.value<boolean>('select try_cast($1 as timestamptz) is not null', [raw]);
  if (!valid) {
    throw new UsageError(`--as-of must be a time such as 2026-11-29T10:00:00Z or 2026-11-29, not "${raw}".`, {
      hint: 'pnpm stage 4 snapshots shows when each snapshot was committed.',
    });
  }
  return raw;
}

/**
 * The user's SQL failed in DuckDB: their error to fix, not our bug. Says DuckDB's
 * message and which tables exist at that snapshot (the usual cause is a name).
 */
async function queryFailed(session: LakeSession, snapshotId: number, error: unknown): Promise<unknown> {
  if (!(error instanceof SqlError)) return error;
  const { tables } = await catalogAtSnapshot(session.db, catalogAlias, snapshotId);
  const names = tables.map((table) => `${table.schemaName}.${table.name}`).sort();
  return new CliError(`Your query failed: ${error.message}`, {
    hint:
      names.length > 0
        ? `Tables at snapshot ${snapshotId}: ${names.join(', ')}.`
        : `No tables exist at snapshot ${snapshotId}${snapshotId === 0 ? ' (the empty lake, before the first build)' : ''}.`,
    cause: error,
  });
}

import { CliError, type Database, quoteIdentifier, quoteLiteral, quoteQualified } from '@mart/shared';
import {
  buildTableQuery,
  catalogAlias,
  catalogAtSnapshot,
  type LakeContext,
  openLake,
  readBronze,
  resolveSnapshot,
} from '@mart/stage-04-lakehouse';

/** The database name the lake's tables have in stage 5's SQL: `lake.bronze.sales`, `lake.silver.dim_store`. */
export const lakeDatabase = 'lake';

/** What {@link mountLake} made queryable. */
export interface MountedLake {
  /** `bronze.sales`, `silver.dim_store`, … */
  tables: string[];
  /** The lake snapshot silver was read at. */
  snapshotId: number;
  /** The newest bronze ingest (its id is a sortable UTC time). */
  newestIngest: string | undefined;
  /** The newest sale date in bronze, `YYYY-MM-DD`. */
  newestDay: string | undefined;
  /**
   * The lake's clock: midnight after the newest sale day. The stage's data lives in the
   * generator's calendar, not today's, so "now" for microbatches and snapshots is the day
   * after the last batch that arrived (the night its files were loaded).
   */
  clock: Date | undefined;
  /** Files downloaded from the bucket this time (the rest came from the local cache). */
  downloaded: { files: number; bytes: number };
}

/**
 * Makes the stage 4 lake readable from stage 5's warehouse session, as the sources of
 * the dbt project: an in-memory database attached as `lake`, with one view per table:
 * `lake.bronze.<table>` over every complete ingest's Parquet files (each row with its
 * `_ingest_id`), and `lake.silver.<table>` over the files of the latest lake snapshot.
 *
 * The files are fetched into the lake's local cache first, so the views read local
 * Parquet and the S3 server is stopped before a single model runs. Nothing is written to
 * the warehouse: the views vanish with the session, so models that read the lake must be
 * tables (a view over `lake.…` would not open without this mount).
 *
 * @example
 * const mounted = await mountLake(db, context);
 * await db.all('select count(*) from lake.bronze.sales');
 */
export async function mountLake(db: Database, context: LakeContext): Promise<MountedLake> {
  const lake = await openLake(context, { catalog: 'read' }).catch((error: unknown) => {
    if (error instanceof CliError && /no tables yet/.test(error.message)) {
      throw new CliError('Stage 5 reads the stage 4 lake, which has no tables yet.', {
        hint: 'Build it first: pnpm stage 4 build (or pnpm start, which builds every stage).',
      });
    }
    throw error;
  });
  try {
    const session = lake.session;
    if (!session) throw new Error('mountLake: the lake was opened without its catalog.');
    await db.run(`attach ':memory:' as ${quoteIdentifier(lakeDatabase)}`);
    const tables: string[] = [];

    const bronze = await readBronze(lake.store, lake.files.fetch);
    await db.run(`create schema ${quoteQualified(lakeDatabase, 'bronze')}`);
    for (const [table, files] of Object.entries(bronze.files).sort()) {
      if (files.length === 0) continue;
      // union_by_name: an older ingest without a newer column still reads (as NULL).
      const list = files.map(quoteLiteral).join(', ');
      await db.run(
        `create view ${quoteQualified(lakeDatabase, 'bronze', table)} as
           select * from read_parquet([${list}], union_by_name = true, hive_partitioning = false)`,
      );
      tables.push(`bronze.${table}`);
    }

    const snapshot = await resolveSnapshot(session.db, catalogAlias, 'latest');
    const catalog = await catalogAtSnapshot(session.db, catalogAlias, snapshot.id);
    for (const schema of [...new Set(catalog.tables.map((table) => table.schemaName))].sort()) {
      await db.run(`create schema if not exists ${quoteQualified(lakeDatabase, schema)}`);
    }
    for (const table of catalog.tables) {
      const query = await buildTableQuery({
        db: session.db,
        catalogAlias,
        files: lake.files,
        schema: table.schemaName,
        table: table.name,
        snapshot: snapshot.id,
        visibleDataFiles: lake.pieces.visibleDataFiles,
      });
      // Our lakes keep no data inside the catalog (inlining limit 0), so the query reads
      // only local files; a catalog written elsewhere with inlined rows is refused clearly.
      if (query.sql.includes(quoteIdentifier(catalogAlias))) {
        throw new CliError(
          `Lake table ${table.schemaName}.${table.name} keeps rows inside its catalog (DuckLake data inlining), which stage 5 cannot mount.`,
        );
      }
      await db.run(`create view ${quoteQualified(lakeDatabase, table.schemaName, table.name)} as ${query.sql}`);
      tables.push(`${table.schemaName}.${table.name}`);
    }
    const newestDay = tables.includes('bronze.sales')
      ? ((await db.value<string | null>(
          `select strftime(max(sale_date), '%Y-%m-%d') from ${quoteQualified(lakeDatabase, 'bronze', 'sales')}`,
        )) ?? undefined)
      : undefined;
    const clock = newestDay === undefined ? undefined : new Date(Date.parse(`${newestDay}T00:00:00Z`) + 86_400_000);
    return {
      tables,
      snapshotId: snapshot.id,
      newestIngest: bronze.ingests.at(-1),
      newestDay,
      clock,
      downloaded: { ...lake.files.downloaded },
    };
  } finally {
    await lake.close();
  }
}

import { type CommandContext, Database, quoteLiteral } from '@mart/shared';
import { openLake, readBronze } from '@mart/stage-04-lakehouse';

/**
 * The lake's clock, as stage 5 keeps it: midnight after the newest sale day in bronze
 * (the stage's data lives in the generator's calendar, not today's). The daily
 * partitions' last partition is that newest day. Undefined when bronze has no sales yet.
 *
 * @example
 * await lakeClock(context) // → 2025-01-31T00:00:00.000Z after `pnpm stage 5 generate --days 30`
 */
export async function lakeClock(context: Pick<CommandContext, 'mine' | 'paths' | 'env'>): Promise<Date | undefined> {
  const lake = await openLake(context);
  try {
    const { files } = await readBronze(lake.store, lake.files.fetch);
    const sales = files.sales ?? [];
    if (sales.length === 0) return undefined;
    const db = await Database.open(':memory:');
    try {
      const newest = await db.value<string | null>(
        `select strftime(max(sale_date), '%Y-%m-%d')
           from read_parquet([${sales.map(quoteLiteral).join(', ')}], union_by_name = true, hive_partitioning = false)`,
      );
      return newest ? new Date(Date.parse(`${newest}T00:00:00Z`) + 86_400_000) : undefined;
    } finally {
      db.close();
    }
  } finally {
    await lake.close();
  }
}

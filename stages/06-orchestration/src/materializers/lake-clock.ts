import type { CommandContext } from '@mart/shared';
import { openLake } from '@mart/stage-04-lakehouse';
import { newestSaleDay } from '@mart/stage-05-incremental';

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
    const newest = await newestSaleDay(lake);
    return newest ? new Date(Date.parse(`${newest}T00:00:00Z`) + 86_400_000) : undefined;
  } finally {
    await lake.close();
  }
}

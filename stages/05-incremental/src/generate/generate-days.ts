import { join } from 'node:path';
import { type CommandContext, Database, dailyBatch, quoteLiteral } from '@mart/shared';
import { ingestFiles, openLake, readBronze } from '@mart/stage-04-lakehouse';
import { seedDimensions } from './seed-dimensions.ts';
import { writeDayFiles } from './write-day-files.ts';

/** The generator's first day: customers start changing from here, whatever day generation starts. */
export const firstGeneratedDay = '2025-01-01';

/** Options for {@link generateDays}. */
export interface GenerateDaysOptions {
  days: number;
  linesPerDay: number;
  seed: number;
  /** The first day to generate when the lake holds no daily batch yet. Default 2025-01-01. */
  start?: string | undefined;
  onDay?: (result: GeneratedDay) => void;
}

/** One day landed in bronze. */
export interface GeneratedDay {
  day: string;
  ingestId: string;
  lines: number;
  late: number;
  corrections: number;
  /** The folder holding the day's four CSV files (data/generated/stage-05/<day>/). */
  dir: string;
}

/**
 * Appends `days` daily batches to the lake: the days after the newest one already
 * there (or from `start`), each written as four CSV files and landed in bronze through
 * stage 4's ingest, one ingest per day, exactly as the nightly files of a shop would.
 */
export async function generateDays(
  context: Pick<CommandContext, 'mine' | 'paths' | 'env'>,
  options: GenerateDaysOptions,
): Promise<GeneratedDay[]> {
  const seeds = await seedDimensions(context);
  // The catalog is held for writing, as ingest does: `lake gc` cannot run meanwhile.
  const lake = await openLake(context, { catalog: 'write' });
  try {
    const first = (await newestGeneratedDay(lake)) ?? null;
    const start = first === null ? (options.start ?? firstGeneratedDay) : addDays(first, 1);
    const generated: GeneratedDay[] = [];
    for (let i = 0; i < options.days; i++) {
      const day = addDays(start, i);
      const batch = dailyBatch({
        seed: options.seed,
        day,
        firstDay: firstGeneratedDay,
        linesPerDay: options.linesPerDay,
        dimensions: seeds.dimensions,
      });
      const dir = join(context.paths.output('generated', 5), day);
      writeDayFiles(dir, batch, seeds);
      const { ingestId } = await ingestFiles(lake, dir, context, { maxRejectRate: 0.1 });
      const result = {
        day,
        ingestId,
        lines: batch.sales.length,
        late: batch.counts.late,
        corrections: batch.counts.corrections,
        dir,
      };
      generated.push(result);
      options.onDay?.(result);
    }
    return generated;
  } finally {
    await lake.close();
  }
}

/** The newest day of generated sales in bronze (their ids have 12 digits), if any. */
export function newestGeneratedDay(lake: Awaited<ReturnType<typeof openLake>>): Promise<string | undefined> {
  return newestSaleDay(lake, { generatedOnly: true });
}

/**
 * The newest sale day in bronze (`YYYY-MM-DD`), if bronze has sales; `generatedOnly`
 * counts only the generator's sales (the seeds' ids are shorter).
 */
export async function newestSaleDay(
  lake: Awaited<ReturnType<typeof openLake>>,
  options: { generatedOnly?: boolean } = {},
): Promise<string | undefined> {
  const { files } = await readBronze(lake.store, lake.files.fetch);
  const sales = files.sales ?? [];
  if (sales.length === 0) return undefined;
  const db = await Database.open(':memory:');
  try {
    const newest = await db.value<string | null>(
      `select strftime(max(sale_date), '%Y-%m-%d')
         from read_parquet([${sales.map(quoteLiteral).join(', ')}], union_by_name = true, hive_partitioning = false)
        ${options.generatedOnly ? "where regexp_full_match(sale_id, 'T[0-9]{12}')" : ''}`,
    );
    return newest ?? undefined;
  } finally {
    db.close();
  }
}

function addDays(day: string, count: number): string {
  const time = new Date(`${day}T00:00:00Z`);
  time.setUTCDate(time.getUTCDate() + count);
  return time.toISOString().slice(0, 10);
}

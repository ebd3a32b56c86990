import { type CommandContext, type DailyDimensions, Database, type Row } from '@mart/shared';
import { loadStarSchemaPieces } from '@mart/stage-01-star-schema';
import { loadCsvPieces, loadCsvWarehouse, readInputs } from '@mart/stage-02-csv-loads';

/** The seeds' dimensions, clean: for the generator, and as the rows of the day files. */
export interface SeedDimensions {
  dimensions: DailyDimensions;
  /** products.csv and stores.csv rows, every column. */
  products: Row[];
  stores: Row[];
}

/**
 * The dimensions the daily batches sell from: the committed seeds' customers, products
 * and stores, after stage 2's loader has dropped the rows it rejects (the seeds carry
 * deliberate faults for stage 2's lesson), so every daily ingest loads clean.
 */
export async function seedDimensions(context: Pick<CommandContext, 'mine' | 'paths'>): Promise<SeedDimensions> {
  const pieces = await loadCsvPieces(context.mine, context.paths);
  const starPieces = await loadStarSchemaPieces(context.mine, context.paths);
  const inputs = readInputs(context.paths.seeds(2), pieces);
  const db = await Database.open(':memory:');
  try {
    await loadCsvWarehouse(db, inputs, { pieces, starPieces, maxRejectRate: 1 });
    const products = await db.all<{ product_id: string; list_price: number }>(
      `select product_id, name, category, brand, list_price::double as list_price from dim_product order by product_id`,
    );
    const stores = await db.all<{ store_id: string }>(
      `select store_id, name, city, region, channel, strftime(opened_date, '%Y-%m-%d') as opened_date
         from dim_store order by store_id`,
    );
    const customers = await db.all<DailyDimensions['customers'][number]>(
      `select customer_id, name, coalesce(email, '') as email, coalesce(city, '') as city, coalesce(country, '') as country,
              coalesce(segment, '') as segment, strftime(signup_date, '%Y-%m-%d') as signup_date
         from dim_customer order by customer_id`,
    );
    return { dimensions: { customers, products, stores }, products, stores };
  } finally {
    db.close();
  }
}

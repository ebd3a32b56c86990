import { readFileSync } from 'node:fs';
import { type Database, insertRows, quoteIdentifier } from '@mart/shared';
import type { StarSchemaPieces } from './pieces.ts';
import type { CustomerSeed, ProductSeed, SaleLineSeed, StoreSeed } from './seed/seed-types.ts';
import { type StarSchemaTable, starSchemaTables } from './star-schema-tables.ts';

/** The rows a star schema is built from: stage 1 hardcodes them, stage 2 reads CSVs. */
export interface StarSchemaInput {
  customers: readonly CustomerSeed[];
  products: readonly ProductSeed[];
  stores: readonly StoreSeed[];
  saleLines: readonly SaleLineSeed[];
}

/** Row count per table after a build. */
export type TableCounts = Record<StarSchemaTable, number>;

const dimensionsSql = readFileSync(new URL('./dimensions.sql', import.meta.url), 'utf8');
const factSalesSql = readFileSync(new URL('./fact-sales.sql', import.meta.url), 'utf8');

/**
 * Creates the star schema in `db` and loads it:
 * 1. dimensions get surrogate keys (1…n in natural-key order);
 * 2. dim_date covers whole years around the first and last sale;
 * 3. each sale line looks up its dimension keys, so the fact holds only keys and measures.
 */
export async function buildStarSchema(
  db: Database,
  input: StarSchemaInput,
  pieces: StarSchemaPieces,
): Promise<TableCounts> {
  await createStarSchema(db);

  const customerKeys = pieces.surrogateKeys(input.customers.map((row) => row.customer_id));
  const productKeys = pieces.surrogateKeys(input.products.map((row) => row.product_id));
  const storeKeys = pieces.surrogateKeys(input.stores.map((row) => row.store_id));

  await insertRows(
    db,
    'dim_customer',
    input.customers.map((row) => ({ customer_key: keyOf(customerKeys, row.customer_id, 'customer'), ...row })),
  );
  await insertRows(
    db,
    'dim_product',
    input.products.map((row) => ({ product_key: keyOf(productKeys, row.product_id, 'product'), ...row })),
  );
  await insertRows(
    db,
    'dim_store',
    input.stores.map((row) => ({ store_key: keyOf(storeKeys, row.store_id, 'store'), ...row })),
  );

  const dates = input.saleLines.map((line) => line.sale_date).sort();
  const firstYear = (dates[0] ?? '2024-01-01').slice(0, 4);
  const lastYear = (dates.at(-1) ?? '2024-12-31').slice(0, 4);
  const calendar = pieces.buildDateDimension(`${firstYear}-01-01`, `${lastYear}-12-31`);
  await insertRows(
    db,
    'dim_date',
    calendar.map((day) => ({ ...day })),
  );
  const dateKeys = new Map(calendar.map((day) => [day.full_date, day.date_key]));

  await insertRows(
    db,
    'fact_sales',
    input.saleLines.map((line) => ({
      sale_id: line.sale_id,
      line_number: line.line_number,
      date_key: keyOf(dateKeys, line.sale_date, 'date'),
      customer_key: keyOf(customerKeys, line.customer_id, 'customer'),
      product_key: keyOf(productKeys, line.product_id, 'product'),
      store_key: keyOf(storeKeys, line.store_id, 'store'),
      quantity: line.quantity,
      unit_price: line.unit_price,
      // Cents as integers avoid 0.1 + 0.2 surprises; the column is decimal(12, 2).
      amount: Math.round(line.quantity * Math.round(line.unit_price * 100)) / 100,
    })),
  );
  return countTables(db);
}

/** Creates the empty star schema: dimensions.sql and fact-sales.sql, with keys and checks. */
export async function createStarSchema(db: Database): Promise<void> {
  await createDimensionTables(db);
  await db.run(factSalesSql);
}

/** Creates the four empty dimension tables (dimensions.sql). Stage 2 creates its own fact. */
export async function createDimensionTables(db: Database): Promise<void> {
  await db.run(dimensionsSql);
}

/** Row count of every star-schema table. */
export async function countTables(db: Database): Promise<TableCounts> {
  const counts = {} as TableCounts;
  for (const table of starSchemaTables) {
    counts[table] = await db.value<number>(`select count(*)::int from ${quoteIdentifier(table)}`);
  }
  return counts;
}

/** A fact pointing at a dimension row that does not exist is a bug in the input: say which. */
function keyOf(keys: Map<string, number>, naturalKey: string, dimension: string): number {
  const key = keys.get(naturalKey);
  if (key === undefined) throw new Error(`Unknown ${dimension} "${naturalKey}": no such row in its dimension.`);
  return key;
}

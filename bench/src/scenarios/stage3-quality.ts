import { join } from 'node:path';
import type { Scenario } from '../scenario.ts';

/** The warehouse `prepare` builds once; every run of both sides opens it read-only. */
function warehouseIn(inputDir: string): string {
  return join(inputDir, 'warehouse.duckdb');
}

/**
 * Stage 3's default checks (stages/03-quality/checks.yml) on a warehouse built once by
 * stage 2's loader. Ours is `pnpm stage 3 quality --warehouse <file>`: the runner batches
 * each table's measurements into one scan, runs the custom SQL and schema checks, applies
 * the thresholds, samples failing rows and writes report.json, report.csv and samples/.
 * The baseline is the floor under all that: one hand-written query returning the same
 * numbers, with no thresholds, samples or report.
 */
export const stage3Quality: Scenario = {
  name: 'stage3-quality',
  description: 'stage 3 quality (default checks, report, samples) vs one DuckDB query of the same metrics',
  async prepare({ rows, inputDir }) {
    const { buildAtomically, generateDataset } = await import('@mart/shared');
    const { MartPaths, MineScope } = await import('@mart/shared');
    const { loadStarSchemaPieces } = await import('@mart/stage-01-star-schema');
    const { loadCsvPieces, loadCsvWarehouse, readInputs } = await import('@mart/stage-02-csv-loads');
    generateDataset({ rows, seed: 42, outDir: inputDir });
    const paths = new MartPaths();
    const pieces = await loadCsvPieces(MineScope.none(), paths);
    const starPieces = await loadStarSchemaPieces(MineScope.none(), paths);
    const inputs = readInputs(inputDir, pieces);
    await buildAtomically(warehouseIn(inputDir), (db) =>
      loadCsvWarehouse(db, inputs, { pieces, starPieces, maxRejectRate: 0.1 }),
    );
  },
  async ours() {
    const { Database, MartPaths, MineScope } = await import('@mart/shared');
    const { defaultChecksPath, loadQualityPieces, readChecksFile, runQuality } = await import('@mart/stage-03-quality');
    const checksFile = readChecksFile(defaultChecksPath);
    const pieces = await loadQualityPieces(MineScope.none(), new MartPaths());
    return async ({ inputDir, runDir }) => {
      // The report folder goes under this run's folder, not the repository's data/.
      const paths = new MartPaths({ data: runDir });
      // Timed from opening the warehouse on, as `pnpm stage 3 quality --warehouse <file>` does.
      const warehouse = warehouseIn(inputDir);
      const db = await Database.open(warehouse, { readOnly: true });
      try {
        await runQuality(db, { warehouse, checksFile, pieces, command: 'quality', paths });
      } finally {
        db.close();
      }
    };
  },
  async baseline() {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    return async ({ inputDir }) => {
      const instance = await DuckDBInstance.create(warehouseIn(inputDir), { access_mode: 'READ_ONLY' });
      const connection = await instance.connect();
      try {
        await connection.runAndReadAll(qualityMetricsSql);
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
    };
  },
};

/**
 * Every number the default checks measure, as one statement: a cross join of one
 * aggregate subquery per table (one scan each), the join for `sold_above_list_price`,
 * and the schema problems from duckdb_columns(). The expressions are the ones the check
 * pieces hand to `measure()` (solutions/03-quality, stages/03-quality/src/checks), so
 * both sides ask DuckDB for the same work; `amount_is_quantity_times_price` joins the
 * fact scan, as anyone writing this by hand would. Freshness is the age in hours at the
 * checks file's reference_time. Exported for checking the numbers against a report.json.
 */
export const qualityMetricsSql = `
select *
  from (select count(*) as customer_rows,
               count(*) filter (where customer_id is not null)
                 - count(distinct customer_id) filter (where customer_id is not null) as customer_duplicates,
               count(*) filter (where name is null) as customer_missing_name,
               count(*) filter (where email is null) as customer_missing_email,
               count(*) filter (where segment is not null
                                  and segment not in ('Consumer', 'Corporate', 'Small Business')) as customer_invalid_segment
          from dim_customer) c,
       (select count(*) as product_rows,
               count(*) filter (where product_id is not null)
                 - count(distinct product_id) filter (where product_id is not null) as product_duplicates,
               count(*) filter (where category is not null
                                  and category not in ('Outerwear', 'Footwear', 'Bags', 'Gear', 'Accessories')) as product_invalid_category,
               count(*) filter (where list_price is not null and (list_price < 0 or list_price > 5000)) as product_price_out_of_range
          from dim_product) p,
       (select count(*) as store_rows,
               count(*) filter (where store_id is not null)
                 - count(distinct store_id) filter (where store_id is not null) as store_duplicates,
               count(*) filter (where region is not null
                                  and region not in ('North', 'South', 'West', 'Scotland', 'Online')) as store_invalid_region
          from dim_store) s,
       (select count(*) as sales_rows,
               count(*) filter (where sale_id is not null and line_number is not null)
                 - count(distinct (sale_id, line_number)) filter (where sale_id is not null and line_number is not null) as sales_duplicates,
               count(*) filter (where customer_key is null) as sales_missing_customer_key,
               count(*) filter (where f.customer_key is not null
                                  and not exists (select 1 from dim_customer d where d.customer_key = f.customer_key)) as sales_orphan_customer,
               count(*) filter (where f.product_key is not null
                                  and not exists (select 1 from dim_product d where d.product_key = f.product_key)) as sales_orphan_product,
               count(*) filter (where f.store_key is not null
                                  and not exists (select 1 from dim_store d where d.store_key = f.store_key)) as sales_orphan_store,
               count(*) filter (where f.date_key is not null
                                  and not exists (select 1 from dim_date d where d.date_key = f.date_key)) as sales_orphan_date,
               count(*) filter (where quantity is not null and (quantity < 1 or quantity > 100)) as sales_quantity_out_of_range,
               (epoch(timestamp '2024-12-31 00:00:00')
                 - epoch(max(strptime(date_key::varchar, '%Y%m%d')::timestamp))) / 3600 as sales_age_hours,
               count(*) filter (where amount <> quantity * unit_price) as sales_amount_mismatch
          from fact_sales f) f,
       (select count(*) as sales_above_list_price
          from fact_sales f join dim_product p using (product_key)
         where f.unit_price > p.list_price) a,
       (select count(*) as rejected_rows from rejected_rows) r,
       (select count(*) filter (where c.column_name is null or c.data_type <> e.type)
                 + (select count(*) from duckdb_columns()
                     where schema_name = 'main' and table_name = 'fact_sales'
                       and lower(column_name) in ('email', 'customer_name')) as sales_schema_problems
          from (values ('sale_id', 'VARCHAR'), ('line_number', 'INTEGER'), ('date_key', 'INTEGER'),
                       ('customer_key', 'INTEGER'), ('product_key', 'INTEGER'), ('store_key', 'INTEGER'),
                       ('quantity', 'INTEGER'), ('unit_price', 'DECIMAL(10,2)'), ('amount', 'DECIMAL(12,2)')) e(name, type)
          left join duckdb_columns() c
            on c.schema_name = 'main' and c.table_name = 'fact_sales' and lower(c.column_name) = e.name) sc
`;

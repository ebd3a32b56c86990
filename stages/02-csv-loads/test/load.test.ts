import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Database, MartPaths } from '@mart/shared';
import { referenceWarehouse } from '@mart/stage-01-star-schema/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type LoadedWarehouse, loadInMemory, seedInputDir } from '../src/testing/index.ts';

// The committed seeds carry deliberate faults (see data/seeds/stage-02/README.md); every
// one must end up in rejected_rows with its line, raw record and reason.
describe('stage 2 load of the committed seeds', () => {
  let loaded: LoadedWarehouse;
  const input = seedInputDir();
  beforeAll(async () => {
    loaded = await loadInMemory(input.path, { maxRejectRate: 0.1 });
  });
  afterAll(() => {
    loaded?.close();
    input.remove();
  });

  test('every file reconciles: read = loaded + rejected', () => {
    expect(loaded.result.files).toEqual([
      { file: 'customers.csv', read: 24, loaded: 22, rejected: 2, balanced: true },
      { file: 'products.csv', read: 17, loaded: 16, rejected: 1, balanced: true },
      { file: 'sales.csv', read: 411, loaded: 403, rejected: 8, balanced: true },
      { file: 'stores.csv', read: 6, loaded: 6, rejected: 0, balanced: true },
    ]);
  });

  test('each kind of bad row is rejected with its line, rule, reason and raw record', async () => {
    const rejects = await loaded.db.all<{ file: string; line: number; rule: string; reason: string; record: string }>(
      'select file, line, rule, reason, record from rejected_rows order by file, line',
    );
    expect(rejects.map(({ file, line, rule, reason }) => `${file}:${line} ${rule} ${reason}`)).toEqual([
      "customers.csv:9 duplicate duplicate customer_id 'C000003': line 4 has it first",
      'customers.csv:16 value name: missing',
      "products.csv:19 value list_price: '-12.50' must not be negative",
      "sales.csv:41 value quantity: 'two' is not a whole number",
      "sales.csv:77 value quantity: '0' must be more than 0",
      "sales.csv:113 value unit_price: '-5.00' must not be negative",
      "sales.csv:154 value sale_date: '2024-02-30' is not a date (YYYY-MM-DD)",
      "sales.csv:195 duplicate duplicate sale_id, line_number 'T00000008', '2': line 21 has it first",
      "sales.csv:236 orphan unknown customer_id 'C999999': not in dim_customer",
      "sales.csv:277 orphan unknown product_id 'P99999': not in dim_product",
      'sales.csv:318 structure 9 fields, but the header has 8',
    ]);
    expect(rejects.find((reject) => reject.line === 318)?.record).toBe(
      'T00000906,1,2024-10-21,C000011,P00004,S003,1,45.00,extra',
    );
  });

  test('real-world CSV: BOM, CRLF, quoted commas and line breaks, header case and spaces all load', async () => {
    const rows = await loaded.db.all<{ name: string }>(
      `select name from dim_customer where customer_id in ('C900001', 'C900002') union all
       select name from dim_product where product_id = 'P00016' union all
       select name from dim_store where store_id = 'S006'`,
    );
    expect(rows.map((row) => row.name).sort()).toEqual(
      ['Harbour, North', "O'Brien, Siobhan", 'Stride Trail Runner 16\n(limited edition)', 'Zoë Åkesson'].sort(),
    );
  });

  test('the first copy of a duplicate key wins', async () => {
    const name = await loaded.db.value<string>("select name from dim_customer where customer_id = 'C000003'");
    expect(name).not.toBe('Hugo Duplicate');
  });

  test('facts hold exactly the good lines, with amounts = quantity × unit price', async () => {
    const totals = await loaded.db.all<{ lines: number; bad_amounts: number; orphans: number }>(`
      select count(*)::int as lines,
             count(*) filter (where amount <> quantity * unit_price)::int as bad_amounts,
             count(*) filter (where c.customer_key is null or d.date_key is null)::int as orphans
        from fact_sales f
        left join dim_customer c using (customer_key)
        left join dim_date d using (date_key)`);
    expect(totals[0]).toEqual({ lines: 403, bad_amounts: 0, orphans: 0 });
  });

  test('the star schema has stage 1 column names and types (reused, not redefined)', async () => {
    const stage1 = await referenceWarehouse();
    const columns = (db: Database) =>
      db.all(`select table_name, column_name, data_type from duckdb_columns()
               where database_name = current_database() and table_name in
                     ('dim_customer', 'dim_product', 'dim_store', 'dim_date', 'fact_sales')
               order by table_name, column_index`);
    try {
      expect(await columns(loaded.db)).toEqual(await columns(stage1.db));
    } finally {
      stage1.close();
    }
  });
});

describe('stage 2 irregular blank lines', () => {
  test('lines holding only a carriage return between LF records load (found by the property test)', async () => {
    const sales = readFileSync(join(new MartPaths().seeds(2), 'sales.csv'), 'utf8').split('\n');
    sales.splice(1, 0, '\r', '\r');
    const input = seedInputDir({ 'sales.csv': sales.join('\n') });
    const loaded = await loadInMemory(input.path);
    try {
      expect(loaded.result.files.find((file) => file.file === 'sales.csv')).toEqual({
        file: 'sales.csv',
        read: 411,
        loaded: 403,
        rejected: 8,
        balanced: true,
      });
    } finally {
      loaded.close();
      input.remove();
    }
  });
});

describe('stage 2 mixed line endings', () => {
  test('one CR LF line among LF lines in a small file loads every record (DuckDB alone refused it)', async () => {
    const lines = readFileSync(join(new MartPaths().seeds(2), 'sales.csv'), 'utf8')
      .split('\n')
      .slice(0, 61);
    lines[1] = `${lines[1]}\r`;
    const input = seedInputDir({ 'sales.csv': `${lines.join('\n')}\n` });
    const loaded = await loadInMemory(input.path);
    try {
      const sales = loaded.result.files.find((file) => file.file === 'sales.csv');
      expect(sales).toMatchObject({ read: 60, balanced: true });
      expect((sales?.loaded ?? 0) + (sales?.rejected ?? 0)).toBe(60);
      // The CR did not end up inside the last value of that line.
      const first = await loaded.db.all<{ unit_price: string }>(
        "select unit_price::varchar as unit_price from fact_sales where sale_id = 'T00000001' and line_number = 1",
      );
      expect(first).toEqual([{ unit_price: '69.56' }]);
    } finally {
      loaded.close();
      input.remove();
    }
  });
});

describe('stage 2 line numbers at scale', () => {
  test('rejects deep in a 200,000-line file (read in parallel chunks) carry their exact lines', async () => {
    const header = 'sale_id,line_number,sale_date,customer_id,product_id,store_id,quantity,unit_price';
    const lines = [header];
    for (let i = 1; i <= 200_000; i++) lines.push(`T${i},1,2024-03-01,C000001,P00001,S001,1,10.00`);
    // A multi-line quoted field early shifts every later line by one: the scan must follow.
    lines[10] = 'T10,1,2024-03-01,C000001,P00001,"S0\n01",1,10.00';
    lines[150_001] = 'T150001,1,2024-03-01,C000001,P00001,S001,0,10.00'; // line 150,003 after the shift
    lines[199_990] = 'T199990,1,2024-03-01,C000001,P00001,S001,1'; // broken: 7 fields
    const input = seedInputDir({ 'sales.csv': `${lines.join('\n')}\n` });
    const loaded = await loadInMemory(input.path);
    try {
      const rejects = await loaded.db.all<{ line: number; reason: string }>(
        "select line, reason from rejected_rows where file = 'sales.csv' order by line",
      );
      expect(rejects).toEqual([
        { line: 11, reason: "unknown store_id 'S0\n01': not in dim_store" },
        { line: 150_003, reason: "quantity: '0' must be more than 0" },
        { line: 199_992, reason: '7 fields, but the header has 8' },
      ]);
      expect(loaded.result.files.find((file) => file.file === 'sales.csv')).toEqual({
        file: 'sales.csv',
        read: 200_000,
        loaded: 199_997,
        rejected: 3,
        balanced: true,
      });
    } finally {
      loaded.close();
      input.remove();
    }
  });
});

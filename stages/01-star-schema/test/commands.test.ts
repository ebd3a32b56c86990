import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from '@mart/shared';
import { captureIo as capture, fakeTerminal, invoke, learnerCourse, tempDir } from '@mart/shared/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { build } from '../src/commands/build.ts';
import { exploreCommand } from '../src/commands/explore.ts';
import { exportCommand } from '../src/commands/export.ts';
import { inspectCommand } from '../src/commands/inspect.ts';
import { saleLines, stores } from '../src/seed/index.ts';

describe('stage 1 commands', () => {
  const temp = tempDir('stage-01-commands');
  beforeAll(async () => {
    expect(await invoke(build, [], { data: temp.path, stage: 1 })).toBe(0);
  });
  afterAll(() => {
    temp.remove();
  });

  test('build writes data/warehouse/stage-01.duckdb and prints row counts per table', async () => {
    const out = capture();
    expect(await invoke(build, [], { io: out.io, data: temp.path, stage: 1 })).toBe(0);
    expect(out.text()).toMatch(/fact_sales\s*│\s*214/);
    const db = await Database.open(join(temp.path, 'warehouse', 'stage-01.duckdb'), { readOnly: true });
    try {
      expect(await db.value<number>('select count(*)::int from fact_sales')).toBe(saleLines.length);
    } finally {
      db.close();
    }
  });

  test('explore --query … --format json prints exactly the rows, parseable', async () => {
    const out = capture();
    await invoke(exploreCommand(1), ['--query', 'top-customers', '--limit', '3', '--format', 'json'], {
      io: out.io,
      data: temp.path,
      stage: 1,
    });
    const rows = JSON.parse(out.text()) as Array<{ customer_id: string }>;
    expect(rows).toHaveLength(3);
    expect(Object.keys(rows[0] ?? {})).toEqual(['customer_id', 'name', 'revenue', 'sales']);
  });

  test('explore --format csv has a header and one line per store', async () => {
    const out = capture();
    await invoke(exploreCommand(1), ['--query', 'store-performance', '--format', 'csv'], {
      io: out.io,
      data: temp.path,
      stage: 1,
    });
    const lines = out.text().trim().split('\n');
    expect(lines[0]).toBe('store_id,store_name,region,revenue,sales,units');
    expect(lines).toHaveLength(stores.length + 1);
  });

  test('explore rejects a bad limit, an impossible date and an unknown query with usage errors', async () => {
    const out = capture();
    await expect(
      invoke(exploreCommand(1), ['--query', 'top-customers', '--limit', 'ten', '--format', 'table'], {
        io: out.io,
        data: temp.path,
        stage: 1,
      }),
    ).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('--limit'),
    });
    await expect(
      invoke(exploreCommand(1), ['--query', 'revenue-between', '--from', '2024-02-30', '--format', 'table'], {
        io: out.io,
        data: temp.path,
        stage: 1,
      }),
    ).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('2024-02-30') });
    await expect(
      invoke(exploreCommand(1), ['--query', 'nope', '--format', 'table'], { io: out.io, data: temp.path, stage: 1 }),
    ).rejects.toMatchObject({
      exitCode: 2,
      hint: expect.stringContaining('top-customers'),
    });
  });

  test('the interactive menu: pick top customers, answer 3, see three rows, then quit', async () => {
    const term = fakeTerminal();
    const done = invoke(exploreCommand(1), ['--format', 'table'], { io: term.io, data: temp.path, stage: 1 });
    await term.waitFor('What would you like to see?');
    // Menu order: revenue-by-category, monthly-trend, top-customers …
    await term.press('down', 'down', 'enter');
    await term.waitFor('How many customers?');
    await term.press({ text: '0' }, 'enter');
    await term.waitFor('Enter a whole number from 1 to 1000');
    const afterAnswer = term.screen().length;
    await term.press('backspace', { text: '3' }, 'enter');
    await term.waitFor('customer_id', { from: afterAnswer });
    await term.waitFor('What would you like to see?', { from: afterAnswer });
    const table = term.screen().slice(afterAnswer);
    expect(table.match(/│ C\d{3} /g)).toHaveLength(3);
    await term.press('up', 'enter'); // wraps to "Quit"
    expect(await done).toBe(0);
    expect(term.screen()).toContain('Bye!');
  });

  test('the interactive menu: the monthly trend draws a bar chart; Escape leaves', async () => {
    const term = fakeTerminal();
    const done = invoke(exploreCommand(1), ['--format', 'table'], { io: term.io, data: temp.path, stage: 1 });
    await term.waitFor('What would you like to see?');
    await term.press('down', 'enter');
    await term.waitFor('2025-01 │');
    expect(term.screen()).toMatch(/2024-07 │█{40}/); // the best month fills the whole width
    await term.waitFor('What would you like to see?', { from: term.screen().indexOf('2025-01 │') });
    await term.press('escape');
    expect(await done).toBe(0);
  });

  test("the interactive menu with --mine: the learner's failing query is shown, and the menu stays", async () => {
    const course = learnerCourse();
    try {
      course.solveStage('01-star-schema');
      course.plant('01-star-schema/revenue-by-month', 'sum(f.amount)::double', 'sum(f.amout)::double');
      const term = fakeTerminal();
      const done = invoke(exploreCommand(1), ['--mine'], { io: term.io, data: temp.path, root: course.root, stage: 1 });
      await term.waitFor('Running your stage 1 queries (exercises/01-star-schema/).');
      await term.waitFor('What would you like to see?');
      await term.press('down', 'enter'); // monthly trend: runs the learner's revenueByMonth
      await term.waitFor('Your exercise 01-star-schema/revenue-by-month failed');
      const after = term.screen().indexOf('Your exercise 01-star-schema/revenue-by-month failed');
      await term.waitFor('sum(f.amout)::double', { from: after });
      await term.waitFor('What would you like to see?', { from: after });
      expect(term.screen().slice(after)).toMatch(/at exercises\/01-star-schema\/revenue-by-month\.ts:\d+:\d+/);
      await term.press('down', 'down', 'enter'); // top customers still works: the learner's solved query
      await term.waitFor('How many customers?');
      await term.press('enter');
      await term.waitFor('customer_id', { from: after });
      await term.waitFor('What would you like to see?', { from: term.screen().lastIndexOf('customer_id') });
      await term.press('escape');
      expect(await done).toBe(0);
    } finally {
      course.remove();
    }
  });

  test('export writes every table as CSV and JSON that read back to the same rows', async () => {
    for (const format of ['csv', 'json'] as const) {
      const out = capture();
      expect(await invoke(exportCommand(1), ['--format', format], { io: out.io, data: temp.path, stage: 1 })).toBe(0);
      const dir = join(temp.path, 'exports', 'stage-01');
      const db = await Database.open(':memory:');
      try {
        for (const table of ['dim_customer', 'dim_product', 'dim_store', 'dim_date', 'fact_sales']) {
          const file = join(dir, `${table}.${format}`);
          const count =
            format === 'csv'
              ? await db.value<number>('select count(*)::int from read_csv($1, header = true)', [file])
              : (JSON.parse(readFileSync(file, 'utf8')) as unknown[]).length;
          expect(out.text()).toContain(`${table}.${format}`);
          if (table === 'fact_sales') expect(count).toBe(saleLines.length);
          if (table === 'dim_store') expect(count).toBe(stores.length);
        }
        if (format === 'json') {
          const sales = JSON.parse(readFileSync(join(dir, 'fact_sales.json'), 'utf8')) as Array<
            Record<string, unknown>
          >;
          const first = saleLines[0];
          expect(sales.find((row) => row.sale_id === first?.sale_id && row.line_number === 1)).toMatchObject({
            quantity: first?.quantity,
          });
        }
      } finally {
        db.close();
      }
    }
  });

  test('inspect lists tables, columns, types and row counts', async () => {
    const out = capture();
    await invoke(inspectCommand(1), ['--format', 'json'], { io: out.io, data: temp.path, stage: 1 });
    const tables = JSON.parse(out.text()) as Array<{
      name: string;
      rows: number;
      columns: Array<{ name: string; type: string }>;
    }>;
    expect(tables.map((table) => table.name).sort()).toEqual([
      'dim_customer',
      'dim_date',
      'dim_product',
      'dim_store',
      'fact_sales',
    ]);
    const fact = tables.find((table) => table.name === 'fact_sales');
    expect(fact?.rows).toBe(saleLines.length);
    expect(fact?.columns.find((column) => column.name === 'amount')?.type).toBe('DECIMAL(12,2)');
    const text = capture();
    await invoke(inspectCommand(1), ['--format', 'table'], { io: text.io, data: temp.path, stage: 1 });
    expect(text.text()).toMatch(/dim_date \(731 rows\)/);
  });
});

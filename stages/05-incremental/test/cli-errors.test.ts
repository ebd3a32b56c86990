import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CliRun, learnerCourse, runCli, runCliAsync, tempDir } from '@mart/shared/testing';
import { afterAll, describe, expect, test } from 'vitest';
import {
  expectExit,
  queryWarehouse,
  readRunResults,
  resultsByName,
  stackTrace,
  writeFiles,
} from './helpers/cli-warehouse.ts';

// What goes wrong, through the real CLI, on small dbt projects written to temporary
// folders (each with its own profiles.yml, so dev.duckdb and target/ are inside it).

const projectFiles = {
  'dbt_project.yml': 'name: shop\nprofile: shop\nmodels:\n  shop:\n    +materialized: table\n',
  'profiles.yml': 'shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: dev.duckdb\n',
};

/** A project folder of its own, the course's data folder beside it (never the real one). */
function project(files: Record<string, string>) {
  const temp = tempDir('stage-05-cli-errors');
  const dir = join(temp.path, 'shop');
  writeFiles(dir, { ...projectFiles, ...files });
  const env = { MART_DATA_DIR: join(temp.path, 'data'), MART_S3_ENDPOINT: '' };
  return {
    dir,
    env,
    db: join(dir, 'dev.duckdb'),
    target: join(dir, 'target'),
    write: (more: Record<string, string>) => writeFiles(dir, more),
    stage5: (...args: string[]) => runCli(['stage', '5', ...args, '--project-dir', dir], env),
    stage5Async: (...args: string[]) => runCliAsync(['stage', '5', ...args, '--project-dir', dir], env),
    remove: temp.remove,
  };
}
type Project = ReturnType<typeof project>;

const cleanups: Array<() => void> = [];
afterAll(() => {
  for (const cleanup of cleanups) cleanup();
});
function tracked(files: Record<string, string>): Project {
  const made = project(files);
  cleanups.push(made.remove);
  return made;
}

/** A project error: exit 1, the message on stderr, no stack trace, nothing built. */
function expectProjectError(run: CliRun, shop: Project): string {
  expectExit(run, 1);
  expect(run.stderr).not.toMatch(stackTrace);
  expect(run.stderr).not.toContain('a bug in Mini Data Mart');
  expect(existsSync(shop.db), 'nothing was built').toBe(false);
  return run.stderr;
}

// Mistakes found while the project is parsed: nothing runs. They never open a warehouse,
// so they run side by side.
describe.concurrent('errors in the project, before anything runs', () => {
  test('a DAG cycle: exit 1, "Found a cycle: …" naming it', async () => {
    const shop = tracked({
      'models/orders.sql': "select * from {{ ref('payments') }}",
      'models/payments.sql': "select * from {{ ref('refunds') }}",
      'models/refunds.sql': "select * from {{ ref('orders') }}",
    });
    const stderr = expectProjectError(await shop.stage5Async('build'), shop);
    expect(stderr).toContain(
      'Found a cycle: model.shop.orders --> model.shop.payments --> model.shop.refunds --> model.shop.orders',
    );
  });

  test('an unknown ref names the model, its file and line, and suggests the closest name', async () => {
    const shop = tracked({
      'models/staging/stg_orders.sql': 'select 1 as order_id',
      'models/marts/orders.sql': "-- orders\nselect *\nfrom {{ ref('stg_ordrs') }}",
    });
    const stderr = expectProjectError(await shop.stage5Async('run'), shop);
    expect(stderr).toMatch(
      /models\/marts\/orders\.sql:3:\d+: Model 'model\.shop\.orders' \(models\/marts\/orders\.sql\) depends on a node named 'stg_ordrs' which was not found/,
    );
    expect(stderr).toContain("Did you mean 'stg_orders'?");
  });

  test('an unknown source too', async () => {
    const shop = tracked({
      'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: orders\n',
      'models/stg_orders.sql': "select *\nfrom {{ source('raw', 'ordrs') }}",
    });
    const stderr = expectProjectError(await shop.stage5Async('build'), shop);
    expect(stderr).toMatch(
      /models\/stg_orders\.sql:2:\d+: .*depends on a source named 'raw\.ordrs' which was not found/,
    );
    expect(stderr).toContain("Did you mean 'raw.orders'?");
  });

  test('a Jinja syntax error: file:line:col', async () => {
    const shop = tracked({ 'models/m.sql': "select\n  a,\n  b from {{ ref('m' }}" });
    const stderr = expectProjectError(await shop.stage5Async('build'), shop);
    expect(stderr).toContain('models/m.sql:3:21: expected comma after expression');
  });

  test('adapter.dispatch: the unsupported-construct message, and what to do instead', async () => {
    const shop = tracked({
      'macros/cents.sql': '{% macro default__cents(x) %}{{ x }} / 100{% endmacro %}',
      'models/m.sql': "select\n  1 as id,\n  {{ adapter.dispatch('cents')('amount') }} as amount",
    });
    const stderr = expectProjectError(await shop.stage5Async('build'), shop);
    expect(stderr).toContain('models/m.sql:3:');
    expect(stderr).toContain('adapter.dispatch is not supported');
    expect(stderr).toContain('Call the implementation macro directly');
  });
});

describe('errors while nodes run', () => {
  test('a model with a SQL error keeps its previous table; descendants are skipped; run_results.json says why', async () => {
    const shop = tracked({
      'seeds/raw_orders.csv': 'order_id,customer,amount\n1,ann,10.50\n2,bob,4.00\n3,ann,7.25\n',
      'models/orders.sql': "select order_id, customer, amount from {{ ref('raw_orders') }}",
      'models/customer_totals.sql': "select customer, sum(amount) as total from {{ ref('orders') }} group by 1",
      'models/schema.yml':
        'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: order_id\n        data_tests: [unique, not_null]\n',
    });
    expectExit(shop.stage5('build'), 0);
    const before = await queryWarehouse(shop.db, 'select * from main.orders order by order_id');
    expect(before).toHaveLength(3);

    shop.write({ 'models/orders.sql': "select order_id, customer, amont from {{ ref('raw_orders') }}" });
    const run = shop.stage5('build');
    expectExit(run, 1);
    expect(run.stdout).toMatch(/ERROR=1 SKIP=3/);
    expect(await queryWarehouse(shop.db, 'select * from main.orders order by order_id')).toEqual(before);
    const byName = resultsByName(readRunResults(shop.target));
    const orders = byName.get('orders');
    expect(orders?.status).toBe('error');
    expect(orders?.message).toMatch(/^Database Error in model orders \(models\/orders\.sql\)\n/);
    expect(orders?.message).toContain('amont');
    expect(orders?.message).toContain('compiled code at target/run/shop/models/orders.sql');
    expect(existsSync(join(shop.target, 'run', 'shop', 'models', 'orders.sql'))).toBe(true);
    expect(byName.get('raw_orders')?.status).toBe('success');
    const skipped = [...byName.values()].filter((result) => result.status === 'skipped');
    expect(skipped.map((result) => result.unique_id).sort()).toEqual([
      'model.shop.customer_totals',
      expect.stringMatching(/^test\.shop\.not_null_orders_order_id\./),
      expect.stringMatching(/^test\.shop\.unique_orders_order_id\./),
    ]);
    for (const result of skipped)
      expect(result.message).toBe('Skipped because model.shop.orders failed with an error.');
  });

  test('a merge whose batch has duplicate and NULL unique_key values: an error naming up to ten keys, nothing written', async () => {
    const rows = (ids: Array<number | ''>, day: string) => ids.map((id) => `${id},click,${day}`).join('\n');
    const shop = tracked({
      'seeds/raw_events.csv': `event_id,kind,loaded_at\n${rows([1, 2, 3], '2024-03-01')}\n`,
      'models/events.sql': [
        "{{ config(materialized='incremental', incremental_strategy='merge', unique_key='event_id') }}",
        "select event_id, kind, loaded_at from {{ ref('raw_events') }}",
        '{% if is_incremental() %}',
        'where loaded_at > (select max(loaded_at) from {{ this }})',
        '{% endif %}',
      ].join('\n'),
    });
    expectExit(shop.stage5('build'), 0);
    // Twelve keys sent twice, one line without a key.
    const twice = Array.from({ length: 12 }, (_, i) => 10 + i);
    shop.write({
      'seeds/raw_events.csv': `event_id,kind,loaded_at\n${rows([1, 2, 3], '2024-03-01')}\n${rows([...twice, ...twice, ''], '2024-03-02')}\n`,
    });
    const run = shop.stage5('build');
    expectExit(run, 1);
    const events = resultsByName(readRunResults(shop.target)).get('events');
    expect(events?.status).toBe('error');
    const message = events?.message ?? '';
    expect(message).toContain(
      'unique_key (event_id) of events must be unique and not NULL in the new rows, so nothing was written:',
    );
    expect(message).toContain('1 row has a NULL key');
    const duplicates = /12 key values appear more than once: (.*)/.exec(message);
    expect(duplicates, message).not.toBeNull();
    expect(duplicates?.[1]?.split(', ')).toEqual(twice.slice(0, 10).map((id) => `${id} (2 rows)`));
    expect(run.stdout).toContain('events: Runtime Error in model events (models/events.sql)');
    expect(await queryWarehouse(shop.db, 'select event_id from main.events order by 1')).toEqual([
      { event_id: 1 },
      { event_id: 2 },
      { event_id: 3 },
    ]);
  });

  test('a failing test skips the descendants of its node in build, and its failing rows are printed and saved', async () => {
    const shop = tracked({
      'seeds/raw_customers.csv': 'customer_id,email\n1,ann@example.com\n2,bob@example.com\n3,ann@example.com\n',
      'models/customers.sql': "select * from {{ ref('raw_customers') }}",
      'models/mailing_list.sql': "select email from {{ ref('customers') }}",
      'models/schema.yml':
        'version: 2\nmodels:\n  - name: customers\n    columns:\n      - name: email\n        data_tests: [unique]\n',
    });
    const run = shop.stage5('build');
    expectExit(run, 1);
    const results = readRunResults(shop.target);
    const test = results.results.find((result) => result.unique_id.startsWith('test.shop.unique_customers_email.'));
    expect(test).toMatchObject({ status: 'fail', failures: 1, message: 'Got 1 result, configured to fail if != 0' });
    const mailing = resultsByName(results).get('mailing_list');
    expect(mailing?.status).toBe('skipped');
    expect(mailing?.message).toBe(`Skipped because ${test?.unique_id} failed.`);
    expect(
      await queryWarehouse(
        shop.db,
        "select count(*)::int as n from information_schema.tables where table_name = 'mailing_list'",
      ),
    ).toEqual([{ n: 0 }]);
    // The failing rows: on the terminal, and as CSV in target/samples/.
    expect(run.stdout).toContain('unique_customers_email: Got 1 result, configured to fail if != 0 First failing rows');
    expect(run.stdout).toMatch(/│\s*ann@example\.com\s*│\s*2\s*│/);
    const sample = readFileSync(join(shop.target, 'samples', 'unique_customers_email.csv'), 'utf8');
    expect(sample.trim().split('\n')).toEqual(['unique_field,n_records', 'ann@example.com,2']);
  });

  test('--fail-fast: after the first error nothing new starts', () => {
    const shop = tracked({
      'models/a_broken.sql': 'select * from no_such_table',
      'models/b_fine.sql': 'select 1 as id',
      'models/c_after.sql': "select * from {{ ref('b_fine') }}",
    });
    const fast = shop.stage5('run', '--fail-fast');
    expectExit(fast, 1);
    const byName = resultsByName(readRunResults(shop.target));
    expect(byName.get('a_broken')?.status).toBe('error');
    for (const name of ['b_fine', 'c_after']) {
      expect(byName.get(name)).toMatchObject({
        status: 'skipped',
        message: 'Skipped: --fail-fast stopped the run after model.shop.a_broken failed.',
      });
    }
    // Without it, the independent models are built all the same.
    expectExit(shop.stage5('run'), 1);
    const again = resultsByName(readRunResults(shop.target));
    expect(['a_broken', 'b_fine', 'c_after'].map((name) => again.get(name)?.status)).toEqual([
      'error',
      'success',
      'success',
    ]);
  });

  test('an incremental model whose SQL changed since its last full build gets a warning suggesting --full-refresh', () => {
    const model = (amount: string) =>
      [
        "{{ config(materialized='incremental', unique_key='id') }}",
        `select id, ${amount} as amount from {{ ref('raw_amounts') }}`,
        '{% if is_incremental() %} where id > (select max(id) from {{ this }}) {% endif %}',
      ].join('\n');
    const shop = tracked({
      'seeds/raw_amounts.csv': 'id,amount\n1,10\n2,20\n',
      'models/amounts.sql': model('amount'),
    });
    expectExit(shop.stage5('build'), 0);
    shop.write({ 'models/amounts.sql': model('amount * 100') });
    const changed = shop.stage5('run');
    expectExit(changed, 0);
    const warning = 'Warning: the SQL of amounts changed since its last full build';
    expect(changed.stdout).toContain(`amounts: ${warning}`);
    expect(changed.stdout).toContain('--full-refresh');
    const message = resultsByName(readRunResults(shop.target)).get('amounts')?.message ?? '';
    expect(message.split('\n')[0]).toBe('OK');
    expect(message).toContain(`${warning}`);
    expect(message).toContain('`pnpm stage 5 run -s amounts --full-refresh`');
    // After the full refresh the new definition is the one fingerprinted: no warning.
    const refreshed = shop.stage5('run', '--full-refresh');
    expectExit(refreshed, 0);
    expect(refreshed.stdout).not.toContain(warning);
    const quiet = shop.stage5('run');
    expect(quiet.stdout).not.toContain(warning);
  });

  test('state:modified with --state <older manifest> runs only the changed model and its tests', async () => {
    const shop = tracked({
      'models/stg_orders.sql': 'select 1 as order_id, 10 as amount',
      'models/orders.sql': "select order_id, amount from {{ ref('stg_orders') }}",
      'models/payments.sql': 'select 1 as payment_id',
      'models/schema.yml':
        'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: order_id\n        data_tests: [unique]\n',
    });
    expectExit(shop.stage5('build'), 0);
    const state = join(shop.dir, '..', 'prod-state');
    mkdirSync(state);
    cpSync(join(shop.target, 'manifest.json'), join(state, 'manifest.json'));
    shop.write({ 'models/orders.sql': "select order_id, amount * 2 as amount from {{ ref('stg_orders') }}" });
    const run = shop.stage5('build', '--select', 'state:modified', '--state', state);
    expectExit(run, 0);
    const ran = readRunResults(shop.target).results.map((result) => result.unique_id);
    expect(ran).toEqual(['model.shop.orders', expect.stringMatching(/^test\.shop\.unique_orders_order_id\./)]);
  });
});

// --mine in a learner's own copy of the course: their pieces run inside the real build.
describe('pnpm stage 5 build --mine', () => {
  const course = learnerCourse();
  const data = tempDir('stage-05-cli-mine');
  cleanups.push(course.remove, data.remove);
  const env = { MART_DATA_DIR: data.path, MART_S3_ENDPOINT: '', MART_REPO_ROOT: course.root };

  test('with untouched exercises: stops at the first piece, "not implemented yet", and the hint command', () => {
    const run = runCli(['stage', '5', 'build', '--mine'], env);
    expectExit(run, 1);
    expect(run.stderr).toContain('Exercise 05-incremental/dag-order is not implemented yet.');
    expect(run.stderr).toContain('`pnpm hint 5 dag-order`');
    expect(run.stderr).toContain('Pieces: yours for stage 5 (exercises/05-incremental/)');
    expect(run.stderr).not.toMatch(stackTrace);
  });

  describe('with a planted bug in merge-sql, on a merge model', () => {
    const shop = tracked({
      'seeds/raw_events.csv': 'event_id,kind\n1,click\n2,view\n',
      'models/events.sql':
        "{{ config(materialized='incremental', incremental_strategy='merge', unique_key='event_id') }}\nselect * from {{ ref('raw_events') }}",
    });
    const mine = (...args: string[]) =>
      runCli(['stage', '5', 'build', '--mine', '--project-dir', shop.dir, ...args], {
        ...env,
        MART_DATA_DIR: shop.env.MART_DATA_DIR,
      });
    const exerciseFile = join(course.exercises, '05-incremental', 'merge-sql.ts');

    test('a bug in the code names the exercise and the line in the learner’s file', () => {
      course.solveStage('05-incremental');
      // The first build creates the table (no merge yet); the second merges.
      expectExit(mine(), 0);
      course.plant('05-incremental/merge-sql', 'options.uniqueKey.map(', 'options.uniqueKeys.map(');
      const line =
        readFileSync(exerciseFile, 'utf8')
          .split('\n')
          .findIndex((text) => text.includes('uniqueKeys.map(')) + 1;
      const run = mine();
      expectExit(run, 1);
      const events = resultsByName(readRunResults(join(shop.dir, 'target'))).get('events');
      expect(events?.status).toBe('error');
      expect(events?.message).toContain('Your exercise 05-incremental/merge-sql failed:');
      expect(events?.message).toMatch(new RegExp(`at exercises/05-incremental/merge-sql\\.ts:${line}:\\d+`));
      expect(run.stdout).toContain('Fix it in exercises/05-incremental/merge-sql.ts');
      expect(run.stderr).toContain('Pieces: yours for stage 5');
    });

    test('a bug in the SQL it returns names the exercise, shows the statement and where DuckDB stopped; the table stays', async () => {
      course.plant('05-incremental/merge-sql', 'when not matched then insert (${', 'when not matched then insrt (${');
      const before = await queryWarehouse(join(shop.dir, 'dev.duckdb'), 'select * from main.events order by all');
      const run = mine();
      expectExit(run, 1);
      const message = resultsByName(readRunResults(join(shop.dir, 'target'))).get('events')?.message ?? '';
      expect(message).toMatch(/^Database Error in model events \(models\/events\.sql\)/);
      expect(message).toContain('syntax error at or near "insrt"');
      expect(message).toMatch(/LINE \d+:/);
      expect(message).toContain(
        'in the SQL written by your exercise 05-incremental/merge-sql (exercises/05-incremental/merge-sql.ts)',
      );
      expect(message).toMatch(/merge into "dev"\."main"\."events" as DBT_INTERNAL_DEST/);
      expect(message).toContain('when not matched then insrt (');
      expect(await queryWarehouse(join(shop.dir, 'dev.duckdb'), 'select * from main.events order by all')).toEqual(
        before,
      );
    });
  });
});

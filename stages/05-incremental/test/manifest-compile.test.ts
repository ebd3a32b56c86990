import { describe, expect, it } from 'vitest';
import { injectCtes } from '../src/manifest/ephemeral-ctes.ts';
import { buildFixture, buildTemp } from './fixtures/projects/load-fixture.ts';

const { manifest, compiler } = buildFixture('jaffle');
const compile = (id: string, options: Parameters<typeof compiler.compile>[1] = { isIncremental: false }) => {
  const node = manifest.nodes.get(id);
  if (!node) throw new Error(`no node ${id}`);
  return compiler.compile(node, options).sql;
};
const squash = (sql: string) => sql.replace(/\s+/g, ' ').trim();

describe('compiling nodes', () => {
  it('renders refs as "db"."schema"."identifier", macros with kwargs, loops and var()', () => {
    expect(squash(compile('model.jaffle.stg_payments'))).toBe(
      'select id as payment_id, order_id, payment_method, round(amount / 100.0, 2) as amount from "stage-05"."main_raw"."raw_payments"',
    );
    expect(squash(compile('model.jaffle.stg_orders'))).toBe(
      `select id as order_id, user_id as customer_id, order_date, status from "stage-05"."main_raw"."raw_orders" where order_date >= '2018-01-01'`,
    );
    expect(compile('model.jaffle.customers')).toContain('round(sum(o.amount * 100) / 100.0, 0) as lifetime_value');
  });

  it('injects ephemeral models as CTEs into a leading WITH, and is_incremental()/this follow the options', () => {
    const full = compile('model.jaffle.orders');
    expect(full.startsWith('\n\nwith __dbt__cte__int_payment_totals as (\n')).toBe(true);
    expect(full).toContain('\n), orders as (');
    expect(full).toContain('select * from __dbt__cte__int_payment_totals');
    expect(full).toContain("sum(case when payment_method = 'gift_card' then amount else 0 end) as gift_card_amount");
    expect(full).not.toContain('max(order_date)');
    const incremental = compile('model.jaffle.orders', { isIncremental: true });
    expect(incremental).toContain('where orders.order_date > (select max(order_date) from "stage-05"."main"."orders")');
  });

  it('puts ephemeral CTEs depth-first and once, in a new WITH when the query has none', () => {
    const { manifest: m, compiler: c } = buildTemp({
      'models/a.sql': "{{ config(materialized='ephemeral') }}select 1 as x",
      'models/b.sql': "{{ config(materialized='ephemeral') }}select * from {{ ref('a') }}",
      'models/c.sql': "select * from {{ ref('b') }} join {{ ref('a') }} using (x)",
    });
    const node = m.nodes.get('model.p.c');
    if (!node) throw new Error('no c');
    const out = c.compile(node, { isIncremental: false });
    expect(out.sql).toBe(
      'with __dbt__cte__a as (\nselect 1 as x\n),  __dbt__cte__b as (\nselect * from __dbt__cte__a\n)select * from __dbt__cte__b join __dbt__cte__a using (x)',
    );
    expect(
      injectCtes('-- note\nWITH RECURSIVE t as (select 1) select * from t', [
        { id: 'e', sql: ' __dbt__cte__e as (\nselect 2\n)' },
      ]),
    ).toBe('-- note\nWITH RECURSIVE __dbt__cte__e as (\nselect 2\n), t as (select 1) select * from t');
  });

  it('filters refs and sources with event_time to the batch window (microbatch)', () => {
    const sql = compile('model.jaffle.page_views_daily', {
      isIncremental: true,
      eventTimeWindow: { start: '2024-01-02T00:00:00Z', end: '2024-01-03T00:00:00Z' },
    });
    expect(sql).toContain(
      `(select * from "stage-05"."web_raw"."pageviews" where viewed_at >= '2024-01-02 00:00:00+00:00' and viewed_at < '2024-01-03 00:00:00+00:00') _dbt_et_filter_subq_page_views`,
    );
    // stg_customers has no event_time: not filtered
    expect(sql).toContain('join "stage-05"."main_staging"."stg_customers" as c');
    expect(compile('model.jaffle.page_views_daily')).toContain('from "stage-05"."web_raw"."pageviews" as v');
  });

  it('compiles generic tests to their failing-rows SQL, with where applied', () => {
    expect(squash(compile('test.jaffle.not_null_orders_order_id.cf6c17daed'))).toBe(
      'select order_id from "stage-05"."main"."orders" where order_id is null',
    );
    expect(squash(compile('test.jaffle.unique_orders_order_id.fed79b3a6e'))).toBe(
      'select order_id as unique_field, count(*) as n_records from "stage-05"."main"."orders" where order_id is not null group by order_id having count(*) > 1',
    );
    expect(
      squash(
        compile(
          'test.jaffle.accepted_values_orders_status__placed__shipped__completed__return_pending__returned.be6b5b5ec3',
        ),
      ),
    ).toContain("where value_field not in ( 'placed','shipped','completed','return_pending','returned' )");
    expect(
      squash(compile('test.jaffle.accepted_values_customers_number_of_orders__False__0__1__2__3.aec7b4b4a3')),
    ).toContain('where value_field not in ( 0,1,2,3 )');
    expect(
      squash(compile('test.jaffle.relationships_orders_customer_id__customer_id__ref_customers_.c6ec7f58f2')),
    ).toBe(
      'with child as ( select customer_id as from_field from "stage-05"."main"."orders" where customer_id is not null ), parent as ( select customer_id as to_field from "stage-05"."main"."customers" ) select from_field from child left join parent on child.from_field = parent.to_field where parent.to_field is null',
    );
    expect(squash(compile('test.jaffle.amount_is_positive_strict.b68ee0d856'))).toBe(
      `select * from (select * from "stage-05"."main"."orders" where order_date > '2018-01-01') dbt_subquery where amount < 0`,
    );
    expect(squash(compile('test.jaffle.source_not_null_web_page_views_customer_id.8f3e9fed12'))).toBe(
      'select customer_id from "stage-05"."web_raw"."pageviews" where customer_id is null',
    );
  });

  it('compiles singular tests and snapshots (the block body)', () => {
    expect(squash(compile('test.jaffle.assert_order_amount_positive'))).toBe(
      '-- Singular test: orders whose amount is negative. select order_id, amount from "stage-05"."main"."orders" where amount < 0',
    );
    expect(squash(compile('snapshot.jaffle.orders_snapshot'))).toBe(
      'select * from "stage-05"."main_staging"."stg_orders"',
    );
    expect(squash(compile('snapshot.jaffle.customers_snapshot'))).toBe(
      'select * from "stage-05"."main_staging"."stg_customers"',
    );
  });

  it('collects log() output, and refuses a ref only reached inside is_incremental() (dbt: add a depends_on comment)', () => {
    const { manifest: m, compiler: c } = buildTemp({
      'models/a.sql': 'select 1 as x',
      'models/b.sql':
        "{{ log('compiling b') }}select 1 as x\n{% if is_incremental() %}\nunion all select x from {{ ref('a') }}\n{% endif %}",
    });
    const b = m.nodes.get('model.p.b');
    if (!b) throw new Error('no b');
    expect(c.compile(b, { isIncremental: false }).logs).toEqual(['compiling b']);
    expect(() => c.compile(b, { isIncremental: true })).toThrow(
      /^models\/b\.sql:3:\d+: dbt was unable to infer all dependencies for the model "b"/,
    );
  });
});

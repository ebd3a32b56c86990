-- A singular test: rows returned are failures. The microbatched daily revenue must add
-- up to the sales fact, day by day (a missed late line would show here).
-- It reads two models; the meta says which one it checks (dagster-dbt's convention), so
-- an orchestrator runs it as a check of daily_revenue.
{{ config(meta={'dagster': {'ref': {'name': 'daily_revenue'} } }) }}
with from_fact as (
    select sale_date, {{ money('sum(amount)') }} as revenue
    from {{ ref('fct_sales') }}
    group by sale_date
),

from_daily as (
    select sale_date, {{ money('sum(revenue)') }} as revenue
    from {{ ref('daily_revenue') }}
    group by sale_date
)

select coalesce(f.sale_date, d.sale_date) as sale_date, f.revenue as fact_revenue, d.revenue as daily_revenue
from from_fact as f
full outer join from_daily as d using (sale_date)
where f.revenue is distinct from d.revenue

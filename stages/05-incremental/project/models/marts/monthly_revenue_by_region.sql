-- Revenue per month, one column per region (a Jinja loop writes the pivot), against
-- each region's target from the seed. A view: a dozen rows over the incremental fact,
-- computed when read, so a nightly build does not recompute it.
{{ config(materialized='view') }}
select
    date_trunc('month', sale_date)::date as month,
    {% for region in var('regions') -%}
    {{ money("sum(case when region = '" ~ region ~ "' then amount else 0 end)") }} as {{ region | lower }}_revenue,
    {% endfor -%}
    {{ money('sum(amount)') }} as total_revenue,
    (select sum(monthly_target) from {{ ref('region_targets') }}) as total_target
from {{ ref('fct_sales') }}
group by 1
order by 1

{#-
  Revenue per day and region. Microbatch: each run rebuilds one batch per day from the
  watermark minus the lookback (late lines land in days already built) up to now; the
  runner filters fct_sales (it has event_time) to each batch's day.
-#}
{{
  config(
    materialized='incremental',
    incremental_strategy='microbatch',
    event_time='sale_date',
    batch_size='day',
    begin='2024-01-01',
    lookback=var('lookback_days')
  )
}}

select
    sale_date,
    region,
    {{ money('sum(amount)') }} as revenue,
    count(distinct sale_id) as sales,
    sum(quantity) as units
from {{ ref('fct_sales') }}
group by sale_date, region

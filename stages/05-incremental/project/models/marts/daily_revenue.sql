{#-
  Revenue per day and region. Microbatch, in monthly batches: each run rebuilds every
  month from the one before its watermark (lookback 1: a line up to 5 days late always
  falls in this month or the last) up to now; the runner filters fct_sales (it has
  event_time) to each batch's month, so the SQL below never says which month it is.
-#}
{{
  config(
    materialized='incremental',
    incremental_strategy='microbatch',
    event_time='sale_date',
    batch_size='month',
    begin='2024-01-01',
    lookback=1
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

-- Revenue by the segment each customer was in ON THE DAY OF THE SALE: a point-in-time
-- join to the SCD2 snapshot, so a customer who moved to Corporate in March still counts
-- as Consumer for their February sales. A view, like the monthly pivot: cheap to read,
-- nothing to rebuild each night.
{{ config(materialized='view') }}
with versions as (
    select
        customer_id,
        segment,
        -- The first version we know also stands for the time before we first looked.
        case
            when dbt_valid_from = min(dbt_valid_from) over (partition by customer_id) then date '1900-01-01'
            else cast(dbt_valid_from as date)
        end as valid_from,
        cast(dbt_valid_to as date) as valid_to
    from {{ ref('customers_snapshot') }}
)

select
    coalesce(v.segment, 'unknown') as segment,
    {{ money('sum(f.amount)') }} as revenue,
    count(distinct f.sale_id) as sales
from {{ ref('fct_sales') }} as f
left join versions as v
  on v.customer_id = f.customer_id
 and f.sale_date >= v.valid_from
 and (v.valid_to is null or f.sale_date < v.valid_to)
group by 1
order by 1

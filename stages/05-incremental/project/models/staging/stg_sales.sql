{#-
  Every sale line once, in its latest version: new lines are inserted, corrections
  (the same sale_id and line_number sent again) replace the line. Incremental: a run
  reads only the ingests that arrived after the newest one already in the table.
-#}
{{
  config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key=['sale_id', 'line_number'],
    on_schema_change='append_new_columns'
  )
}}

with arrived as (
    select
        sale_id,
        line_number,
        sale_date,
        customer_id,
        product_id,
        store_id,
        quantity,
        unit_price,
        {{ money('quantity * unit_price') }} as amount,
        _ingest_id,
        _source_line
    from {{ source('bronze', 'sales') }}
    {% if is_incremental() %}
    -- Only what arrived since the last run: the watermark is the newest ingest we hold.
    where _ingest_id > (select max(_ingest_id) from {{ this }})
    {% endif %}
)

-- An ingest may carry a line twice (a correction in the same file): the later one wins.
select *
from arrived
qualify row_number() over (partition by sale_id, line_number order by _ingest_id desc, _source_line desc) = 1

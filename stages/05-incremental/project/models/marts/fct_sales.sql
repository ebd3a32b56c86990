{#-
  The sales fact, one row per sale line. Incremental with delete+insert by day: when new
  lines (or corrections) for a day arrive, that whole day is deleted and rebuilt from
  stg_sales, so the table never holds a half-updated day. sale_date is a partition here,
  not a row key: allow_duplicate_keys says so (without it, the runner refuses a batch
  with repeated unique_key values, dbt's silent-duplicates trap).
-#}
-- The ref inside the is_incremental() block is invisible when dbt parses the file (it
-- renders with is_incremental() false), so it is declared here too, as dbt asks:
-- depends_on: {{ ref('stg_sales') }}
{{
  config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='sale_date',
    allow_duplicate_keys=true,
    event_time='sale_date'
  )
}}

select *
from {{ ref('int_sales_enriched') }}
{% if is_incremental() %}
where sale_date in (
    -- The days touched by lines that arrived since this table was last built.
    select distinct sale_date
    from {{ ref('stg_sales') }}
    where _ingest_id > (select max(_ingest_id) from {{ this }})
)
{% endif %}
-- Stored in day order, so a night's delete+insert touches the last few row groups
-- instead of holes in every one of them (see "Why fct_sales is stored in day order").
order by sale_date

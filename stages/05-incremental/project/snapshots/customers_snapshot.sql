{#-
  SCD2 history of customers: when a customer moves or changes segment, the old row is
  closed (dbt_valid_to) and a new version starts (dbt_valid_from). The check strategy
  compares the listed columns with the latest ingest's values on every run.
-#}
{% snapshot customers_snapshot %}
{{
  config(
    unique_key='customer_id',
    strategy='check',
    check_cols=['city', 'country', 'segment'],
    hard_deletes='invalidate'
  )
}}
select customer_id, name, city, country, segment
from {{ ref('stg_customers') }}
{% endsnapshot %}

-- Failing rows: a sale dated before its customer signed up. Checks fct_sales (the meta
-- tells an orchestrator which of the two models it reads is the one checked).
{{ config(meta={'dagster': {'ref': {'name': 'fct_sales'} } }) }}
select f.sale_id, f.sale_date, c.signup_date
from {{ ref('fct_sales') }} as f
join {{ ref('stg_customers') }} as c using (customer_id)
where f.sale_date < c.signup_date

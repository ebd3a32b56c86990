-- One row per calendar day from the first sale to the last, cut from a date spine (a
-- project macro), with the attributes reports group by.
{% set first_sale = "(select min(sale_date) from " ~ ref('stg_sales') ~ ")" %}
{% set last_sale = "(select max(sale_date) from " ~ ref('stg_sales') ~ ")" %}

select
    date_day,
    year(date_day) as year,
    quarter(date_day) as quarter,
    month(date_day) as month,
    monthname(date_day) as month_name,
    isodow(date_day) as day_of_week,
    isodow(date_day) in (6, 7) as is_weekend
from ({{ date_spine(first_sale, last_sale) }}) as spine

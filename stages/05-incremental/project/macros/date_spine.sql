{#-
  One row per day from `start_date` to `end_date` (both included), a column named
  `date_day`: the calendar a date dimension is cut from.
-#}
{% macro date_spine(start_date, end_date) -%}
    select cast(range as date) as date_day
    from range(cast({{ start_date }} as date), cast({{ end_date }} as date) + interval 1 day, interval 1 day)
{%- endmacro %}

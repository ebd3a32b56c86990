{#- Custom generic tests: usable in yml like the built-in unique or not_null. -#}

{% test positive(model, column_name) %}
    -- Failing rows: a value that is zero or negative.
    select *
    from {{ model }}
    where {{ column_name }} <= 0
{% endtest %}

{% test unique_combination(model, columns) %}
    -- Failing rows: a combination of the columns that appears more than once.
    select {{ columns | join(', ') }}, count(*) as n_records
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}

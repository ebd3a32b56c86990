// dbt's built-in generic tests (dbt-adapters macros/generic_test_sql/*.sql, the
// `default__` versions, which dbt-duckdb uses), as one macro file of the `dbt` package.
// A project macro of the same name replaces one of these, as in dbt.

/** The file name the built-in macros are reported under. */
export const builtinMacrosFile = 'dbt/macros/generic_tests.sql';

/** The built-in macros' Jinja source. */
export const builtinMacrosSource = `{% test not_null(model, column_name) %}

{% set column_list = '*' if should_store_failures() else column_name %}

select {{ column_list }}
from {{ model }}
where {{ column_name }} is null

{% endtest %}

{% test unique(model, column_name) %}

select
    {{ column_name }} as unique_field,
    count(*) as n_records

from {{ model }}
where {{ column_name }} is not null
group by {{ column_name }}
having count(*) > 1

{% endtest %}

{% test accepted_values(model, column_name, values, quote=True) %}

with all_values as (

    select
        {{ column_name }} as value_field,
        count(*) as n_records

    from {{ model }}
    group by {{ column_name }}

)

select *
from all_values
where value_field not in (
    {% for value in values -%}
        {% if quote -%}
        '{{ value | string | replace("'", "''") }}'
        {%- else -%}
        {{ value }}
        {%- endif -%}
        {%- if not loop.last -%},{%- endif %}
    {%- endfor %}
)

{% endtest %}

{% test relationships(model, column_name, to, field) %}

with child as (
    select {{ column_name }} as from_field
    from {{ model }}
    where {{ column_name }} is not null
),

parent as (
    select {{ field }} as to_field
    from {{ to }}
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null

{% endtest %}
`;

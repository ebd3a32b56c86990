{#- Money as the course stores it everywhere: rounded to cents, as DECIMAL(12,2). -#}
{% macro money(expression, scale=2) -%}
    round({{ expression }}, {{ scale }})::decimal(12, {{ scale }})
{%- endmacro %}

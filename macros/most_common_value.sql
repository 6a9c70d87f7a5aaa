{#- A query giving, per group, the most frequent value of a column (ties: alphabetically first).
    Use as a CTE body: most_common_value('segment_customers', 'segment_id', 'gender'). -#}
{% macro most_common_value(relation, group_column, value_column) %}
    select
        {{ group_column }},
        {{ value_column }}
    from {{ relation }}
    group by {{ group_column }}, {{ value_column }}
    qualify row_number() over (
        partition by {{ group_column }}
        order by count(*) desc, {{ value_column }}
    ) = 1
{%- endmacro %}

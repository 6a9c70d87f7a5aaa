{#- sum(column_name) over the model, plus the row count of plus_model when given, equals the row
    count of compare_model: e.g. segment sizes plus the customers left out of the segmentation
    add up to the number of customers. -#}
{% test sum_equals_row_count(model, column_name, compare_model, plus_model=none) %}

with

totals as (
    select
        (select coalesce(sum({{ column_name }}), 0) from {{ model }}) as column_sum,
        {% if plus_model is not none -%}
        (select count(*) from {{ plus_model }}) as plus_rows,
        {%- else -%}
        0 as plus_rows,
        {%- endif %}
        (select count(*) from {{ compare_model }}) as compare_rows
)

select *
from totals
where column_sum + plus_rows != compare_rows

{% endtest %}

{#- sum(column_name) over the model equals the row count of compare_model,
    e.g. segment sizes add up to the number of customers. -#}
{% test sum_equals_row_count(model, column_name, compare_model) %}

with

totals as (
    select
        (select coalesce(sum({{ column_name }}), 0) from {{ model }}) as column_sum,
        (select count(*) from {{ compare_model }}) as compare_rows
)

select *
from totals
where column_sum != compare_rows

{% endtest %}

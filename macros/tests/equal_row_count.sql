{#- The model has exactly as many rows as compare_model, or, with plus_model, the two together
    do: e.g. segmented customers plus customers left out of the segmentation = all customers. -#}
{% test equal_row_count(model, compare_model, plus_model=none) %}

with

counts as (
    select
        (select count(*) from {{ model }}) as model_rows,
        {% if plus_model is not none -%}
        (select count(*) from {{ plus_model }}) as plus_rows,
        {%- else -%}
        0 as plus_rows,
        {%- endif %}
        (select count(*) from {{ compare_model }}) as compare_rows
)

select *
from counts
where model_rows + plus_rows != compare_rows

{% endtest %}

{#- Raw rows = clean rows + quarantined rows (+ rows outside the as_of_date window, when
    outside_window names them with a condition on the raw model) for one source: nothing is
    silently dropped. Fails with one row showing the counts when they do not add up. -#}
{% test row_counts_reconcile(model, clean_model, quarantine_model, quarantine_source, outside_window=none) %}

with

counts as (
    select
        (select count(*) from {{ model }}) as raw_rows,
        (select count(*) from {{ clean_model }}) as clean_rows,
        (
            select count(*) from {{ quarantine_model }}
            where source_name = '{{ quarantine_source }}'
        ) as quarantined_rows,
        {%- if outside_window %}
            (select count(*) from {{ model }} where {{ outside_window }}) as outside_window_rows
        {%- else %}
            0 as outside_window_rows
        {%- endif %}
)

select *
from counts
where raw_rows != clean_rows + quarantined_rows + outside_window_rows

{% endtest %}

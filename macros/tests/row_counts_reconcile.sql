{#- Raw rows = clean rows + quarantined rows for one source: nothing is silently dropped.
    Fails with one row showing the three counts when they do not add up. -#}
{% test row_counts_reconcile(model, clean_model, quarantine_model, quarantine_source) %}

with

counts as (
    select
        (select count(*) from {{ model }}) as raw_rows,
        (select count(*) from {{ clean_model }}) as clean_rows,
        (
            select count(*) from {{ quarantine_model }}
            where source_name = '{{ quarantine_source }}'
        ) as quarantined_rows
)

select *
from counts
where raw_rows != clean_rows + quarantined_rows

{% endtest %}

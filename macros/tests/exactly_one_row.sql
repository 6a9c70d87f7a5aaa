{#- The model has exactly one row: the primary-key test of a one-row table (the run's settings,
    the as-of date), which has no key for unique to check. Returns the row count when it is not 1,
    so an empty table fails too. -#}
{% test exactly_one_row(model) %}

with

counted as (
    select count(*) as row_count
    from {{ model }}
)

select row_count
from counted
where row_count != 1

{% endtest %}

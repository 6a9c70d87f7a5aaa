{#- The column adds up to 1 over the whole model (to within a rounding tolerance): shares of a
    whole, e.g. each segment's share of revenue. A column with no values at all passes (no
    whole to share, e.g. no orders), since its sum is null. -#}
{% test sums_to_one(model, column_name, tolerance=0.000001) %}

with

totals as (
    select sum({{ column_name }}) as column_sum
    from {{ model }}
)

select column_sum
from totals
where abs(column_sum - 1) > {{ tolerance }}

{% endtest %}

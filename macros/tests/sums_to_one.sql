{#- The column adds up to 1 over the whole model (to within a rounding tolerance): shares of a
    whole, e.g. each segment's share of revenue. A column with no values at all passes (no
    whole to share, e.g. no orders), since its sum is null. With group_by (a column or a list of
    columns) the column adds up to 1 within each group instead, e.g. each segment's shares of
    its customers across RFM segments; a failing group is returned with its sum. -#}
{% test sums_to_one(model, column_name, tolerance=0.000001, group_by=none) %}

{%- set groups = [] if group_by is none else ([group_by] if group_by is string else group_by) %}

with

totals as (
    select
        {%- for group in groups %}
        {{ group }},
        {%- endfor %}
        sum({{ column_name }}) as column_sum
    from {{ model }}
    {%- if groups %}
    group by {{ groups | join(', ') }}
    {%- endif %}
)

select *
from totals
where abs(column_sum - 1) > {{ tolerance }}

{% endtest %}

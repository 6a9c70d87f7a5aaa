{#- The 1-5 RFM score of each distinct value of a measure. measure_values has one row per distinct
    value, with first_position (the number of scored customers with a worse value, plus 1: rank()
    with the customers ordered worst to best), n_customers (n) and n_values (distinct values).
    A position p on its own scores pandas qcut(positions 1..n, 5, labels=False) + 1, which is
    greatest(1, ceil(5 * (p - 1) / (n - 1))), written in integer arithmetic (ceil(a / b) =
    (a + b - 1) // b) so that no floating point decides a boundary. A value scores the position
    of its first customer: equal values get equal scores, and the score depends on the value,
    never on a row number, however many customers share it (one order each).
    tests/unit/test_rfm_score.py checks it against pandas for n = 2..500 and with ties. With one
    distinct value nothing tells the customers apart, so all get the middle score 3. -#}
{% macro rfm_score(measure_values) -%}
case
    when {{ measure_values }}.n_values = 1 then 3
    else cast(greatest(1, (5 * ({{ measure_values }}.first_position - 1) + {{ measure_values }}.n_customers - 2)
        // ({{ measure_values }}.n_customers - 1)) as integer)
end
{%- endmacro %}

{#- The relation rfm_score reads: one row per distinct value of `measure` among `customers`, with
    the position of its first customer when they are ordered worst to best (`worst_first` is the
    order by direction: desc for recency, where more days is worse), the number of customers
    and of distinct values. -#}
{% macro rfm_measure_values(customers, measure, worst_first) -%}
    select
        {{ measure }},
        sum(count(*)) over (order by {{ measure }} {{ worst_first }}) - count(*) + 1 as first_position,
        sum(count(*)) over () as n_customers,
        count(*) over () as n_values
    from {{ customers }}
    group by {{ measure }}
{%- endmacro %}

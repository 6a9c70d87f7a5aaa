{#- The 1-5 RFM score of a value from its dense rank among the distinct values of its measure,
    ordered worst to best (value_rank 1 = worst, n_values = D = the number of distinct values).
    It equals pandas qcut(ranks of the distinct values, 5, labels=False) + 1, written as
    greatest(1, ceil(5 * (r - 1) / (D - 1))) in integer arithmetic (ceil(a / b) = (a + b - 1) // b),
    so no floating point decides a boundary (tests/unit/test_rfm_score.py checks every D from 2
    to 500 against pandas). Equal values share one rank, hence one score. With D = 1 every
    customer has the same value: nothing tells them apart, so all get the middle score 3. -#}
{% macro rfm_score(value_rank, n_values) -%}
case
    when {{ n_values }} = 1 then 3
    else cast(greatest(1, (5 * ({{ value_rank }} - 1) + {{ n_values }} - 2) // ({{ n_values }} - 1)) as integer)
end
{%- endmacro %}

{#- total / n as DECIMAL(18, 2), rounded half away from zero in exact integer cents: DuckDB
    divides decimals in DOUBLE, which put some averages a cent off. 0 when n is 0. -#}
{% macro decimal_mean(total, n) %}
    case
        when {{ n }} > 0 then cast(
            cast(
                (
                    cast(round({{ total }} * 100) as hugeint) * 2
                    + sign({{ total }}) * {{ n }}
                ) // (2 * {{ n }}) as decimal(18, 0)
            ) * 0.01 as decimal(18, 2)
        )
        else cast(0 as decimal(18, 2))
    end
{%- endmacro %}

{#- The 0-based equal-width bin of `value` among `n_bins` bins between `low` and `high`; the
    highest value falls in the last bin, and a constant column puts everyone in bin 0. -#}
{% macro equal_width_bin(value, low, high, n_bins) %}
    case
        when {{ value }} is not null
            then cast(coalesce(
                least(floor(({{ value }} - {{ low }}) / nullif({{ high }} - {{ low }}, 0) * {{ n_bins }}), {{ n_bins }} - 1),
                0
            ) as integer)
    end
{%- endmacro %}

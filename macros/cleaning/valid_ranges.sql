{#- The plausible range of each numeric customers input; a value outside it sends the row to
    quarantine. It is the valid range of the feature of the same name in the feature registry
    (seeds/feature_registry.csv): the features read from the customers file with both bounds. -#}
{% macro valid_ranges() %}
    {%- set ranges = {} -%}
    {%- for feature in feature_registry() -%}
        {%- if feature.input in ('customers', 'customers_or_orders')
            and feature.min_value is not none and feature.max_value is not none -%}
            {%- do ranges.update({feature.feature_name: [feature.min_value, feature.max_value]}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(ranges) }}
{% endmacro %}


{#- The quarantine reason for one parsed numeric column, or null when the value is usable.
    raw_column is the text as loaded; parsed_column is its try_cast; required is a SQL
    boolean saying whether an empty value is an error for this row. -#}
{% macro numeric_rejection(column, raw_column, parsed_column, required='true') %}
    {%- set bounds = valid_ranges().get(column) -%}
    {%- if bounds is none -%}
        {#- at parse time the registry is not read yet (see feature_registry) -#}
        {%- if execute -%}
            {{ exceptions.raise_compiler_error(
                'numeric_rejection: the feature registry has no range for ' ~ column
                ~ ' (min_value and max_value in seeds/feature_registry.csv)') }}
        {%- endif -%}
        {%- set bounds = ['null', 'null'] -%}
    {%- endif -%}
    case
        when ({{ required }}) and nullif(trim({{ raw_column }}), '') is null then 'missing_{{ column }}'
        when nullif(trim({{ raw_column }}), '') is not null
            and ({{ parsed_column }} is null or not isfinite({{ parsed_column }}))
            then 'invalid_{{ column }}'
        when {{ parsed_column }} not between {{ bounds[0] }} and {{ bounds[1] }}
            then 'out_of_range_{{ column }}'
    end
{%- endmacro %}


{#- The when-clauses that reject one money or quantity value: blank, unreadable (not a finite
    number in the input's decimal convention) or too large for the DECIMAL type (10^14 and more).
    For use inside a case expression. -#}
{% macro money_rejection(column, raw_column, parsed_column) %}
            when nullif(trim({{ raw_column }}), '') is null then 'missing_{{ column }}'
            when {{ parsed_column }} is null and {{ parses_as_double(raw_column) }}
                and abs(try_cast({{ strip_money(raw_column) }} as double)) >= 1e14 then 'out_of_range_{{ column }}'
            when {{ parsed_column }} is null then 'invalid_{{ column }}'
{%- endmacro %}

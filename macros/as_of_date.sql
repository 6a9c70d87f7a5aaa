{#- The as_of_date var as a SQL date literal, or a typed null when it is not set.
    validated_var checks it against its spec (YYYY-MM-DD) before it reaches SQL. -#}
{% macro as_of_date_literal() %}
    {%- set value = validated_var('as_of_date') -%}
    {%- if value is none or value | string | trim == '' -%}
        cast(null as date)
    {%- else -%}
        date '{{ value | string | trim }}'
    {%- endif -%}
{% endmacro %}


{#- A timestamp that can be a real event: from 1900 on and not after the build's clock. -#}
{% macro is_plausible_timestamp(expression) %}
    ({{ expression }} >= timestamp '1900-01-01' and {{ expression }} <= current_localtimestamp())
{%- endmacro %}

{#- The as_of_date var as a SQL date literal, or a typed null when it is not set.
    The value is checked before it reaches SQL: only YYYY-MM-DD is accepted. -#}
{% macro as_of_date_literal() %}
    {%- set value = var('as_of_date') -%}
    {%- if value is none or value | string | trim == '' -%}
        cast(null as date)
    {%- else -%}
        {%- set text = value | string | trim -%}
        {%- set is_iso_date = text | length == 10 and text[4] == '-' and text[7] == '-'
            and text.replace('-', '').isdigit() -%}
        {%- if not is_iso_date -%}
            {{ exceptions.raise_compiler_error("var as_of_date: expected a date as YYYY-MM-DD, got '" ~ text ~ "'") }}
        {%- endif -%}
        date '{{ text }}'
    {%- endif -%}
{% endmacro %}


{#- A timestamp that can be a real event: from 1900 on and not after the build's clock. -#}
{% macro is_plausible_timestamp(expression) %}
    ({{ expression }} >= timestamp '1900-01-01' and {{ expression }} <= current_localtimestamp())
{%- endmacro %}

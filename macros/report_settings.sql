{#- The report site's vars as SQL literals (defaults in dbt_project.yml `vars:`). Each value
    is checked before it reaches SQL, so a bad one stops the build with the var's name. -#}

{% macro report_customer_rows_literal() %}
    {%- set value = var('report_customer_rows') -%}
    {%- if value is not sameas true and value is not sameas false -%}
        {{ exceptions.raise_compiler_error(
            "var report_customer_rows: expected true or false, got '" ~ value ~ "'") }}
    {%- endif -%}
    {{ 'true' if value else 'false' }}
{%- endmacro %}

{% macro report_min_cell_size_literal() %}
    {%- set value = var('report_min_cell_size') -%}
    {%- if value is not integer or value < 1 -%}
        {{ exceptions.raise_compiler_error(
            "var report_min_cell_size: expected a whole number of at least 1, got '" ~ value ~ "'") }}
    {%- endif -%}
    {{ value }}
{%- endmacro %}

{#- The feature registry, seeds/feature_registry.csv: one row per candidate feature, in the
    order every model, page and default list shows them. It is read from the file itself, by
    DuckDB's read_csv at execution time, never from the seed's table: a model compiles before
    any seed it does not ref is loaded, and on a fresh database that table does not exist yet.
    The file sits where the demo inputs are found (SEGMENTATION_PROJECT_DIR, else the working
    directory), and src/customer_segmentation/registry.py reads the same file. At parse time
    (execute is false) there is no connection to read with: the registry is then empty, which
    only matters to the SQL text, and dbt re-renders it at execution. -#}
{% macro feature_registry() %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set path = env_var('SEGMENTATION_PROJECT_DIR', '.') ~ '/seeds/feature_registry.csv' -%}
    {%- set table = run_query('select * from read_csv(' ~ sql_string(path) ~ ', header = true)') -%}
    {%- set features = [] -%}
    {%- for row in table.rows -%}
        {%- do features.append(dict(zip(table.column_names, row.values()))) -%}
    {%- endfor -%}
    {%- if not features -%}
        {{ exceptions.raise_compiler_error('the feature registry ' ~ path ~ ' has no rows') }}
    {%- endif -%}
    {{ return(features) }}
{% endmacro %}


{#- The candidate features' names, in registry order. -#}
{% macro feature_names() %}
    {{ return(feature_registry() | map(attribute='feature_name') | list) }}
{% endmacro %}


{#- segment_profiles' column for a feature's average: avg_<feature>, except that a feature
    already named as an average (avg_order_value) keeps its name. -#}
{% macro profile_average_column(feature_name) %}
    {{ return(feature_name if feature_name.startswith('avg_') else 'avg_' ~ feature_name) }}
{% endmacro %}

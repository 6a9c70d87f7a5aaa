{#- Stops the run when an input kept too little: no data rows, no clean row, or more than
    max_rejected_share of its rows quarantined. The message names the input, the top reasons with
    their counts, an example row, and the var that relaxes the limit, so that a build that would
    answer from a sliver of the data fails instead of passing green. Called by the stg_ models
    that read a base_ model, so the counts come from the typed table, not a second read. -#}
{% macro check_rejected_share(entity, relation) %}
    {%- if not execute or not input_is_present(entity) -%}{{ return('') }}{%- endif -%}
    {%- set limit = validated_var('max_rejected_share') | float -%}
    {%- set label = input_label(entity) -%}
    {%- set totals = run_query('select count(*), count(rejection_reason) from ' ~ relation).rows[0] -%}
    {%- set n_rows, n_rejected = totals[0], totals[1] -%}
    {%- if n_rows == 0 -%}
        {{ exceptions.raise_compiler_error(label ~ ": has a header but no data rows") }}
    {%- endif -%}
    {%- set share = n_rejected / n_rows -%}
    {%- if share > limit or n_rejected == n_rows -%}
        {%- set reasons = run_query(
            'select rejection_reason, count(*) as n, min(raw_record) as example from ' ~ relation
            ~ ' where rejection_reason is not null group by all order by n desc, rejection_reason limit 3') -%}
        {%- set parts = [] -%}
        {%- for row in reasons.rows -%}
            {%- do parts.append(row[0] ~ ' ' ~ '{:,}'.format(row[1])) -%}
        {%- endfor -%}
        {%- set top = reasons.rows[0] -%}
        {{ exceptions.raise_compiler_error(
            label ~ ": " ~ '{:.1%}'.format(share) ~ " of " ~ '{:,}'.format(n_rows) ~ " rows were quarantined"
            ~ (" (no clean row is left)" if n_rejected == n_rows else " (limit: max_rejected_share = " ~ limit ~ ")")
            ~ ". Top reasons: " ~ parts | join(', ') ~ ". Example " ~ top[0] ~ " row: " ~ top[2]
            ~ ". Fix the input, or raise max_rejected_share (e.g. --vars '{max_rejected_share: 1}') to build anyway") }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}

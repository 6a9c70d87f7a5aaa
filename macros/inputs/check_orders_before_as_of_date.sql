{#- Stops the run when the orders input has clean rows but none before as_of_date: an as_of_date
    set before every order. Rows on or after it are outside the window, not quarantined, so
    check_rejected_share cannot see this; without the stop, segment_features: auto would quietly
    drop every order feature. Called by stg_shop__order_lines with the typed base model. -#}
{% macro check_orders_before_as_of_date(relation) %}
    {%- if not execute or not input_is_present('orders') -%}{{ return('') }}{%- endif -%}
    {%- set row = run_query(
        'select count(*) filter (where not is_after_as_of_date), count(*), min(ordered_at), any_value(as_of_date)'
        ~ ' from ' ~ relation ~ ' cross join ' ~ ref('base_shop__as_of_date')
        ~ ' where rejection_reason is null').rows[0] -%}
    {%- set n_before, n_clean, earliest, as_of_date = row[0], row[1], row[2], row[3] -%}
    {%- if n_clean > 0 and n_before == 0 -%}
        {{ exceptions.raise_compiler_error(
            input_label('orders') ~ ": no clean order is before as_of_date " ~ as_of_date
            ~ ": all " ~ '{:,}'.format(n_clean) ~ " clean rows are on or after it (the earliest is "
            ~ earliest.strftime('%Y-%m-%d') ~ "). Set a later as_of_date, or leave it unset for the day after the latest order") }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}

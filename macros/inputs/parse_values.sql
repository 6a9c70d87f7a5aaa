{#- Typing raw text in SQL. Every parser here returns null for a value it cannot read, so that
    staging can tell "missing" (blank) from "invalid" (unreadable) and quarantine the row with a
    reason, never fail the build. Column-level choices (date format, decimal separator, income
    unit) are detected once per column from its values at compile time, logged, and can be
    settled by a var. -#}

{#- Texts that mean "no value" in exports; an id spelled like this is missing, never a customer. -#}
{% macro null_tokens() %}{{ return(['', 'null', 'n/a', 'na', 'nan', 'none', '-', 'nil']) }}{% endmacro %}


{#- What the detections below read: the first rows of an input, in file order (deterministic and
    cheap: a scan stops there), then at most detection_values() distinct values picked by hash, so
    that detection costs the same on 1 million rows as on 100 million. A format that misreads rows
    beyond the sample still cannot pass in silence: those rows are quarantined as invalid and
    max_rejected_share stops the build. -#}
{% macro detection_rows() %}{{ return(1000000) }}{% endmacro %}
{% macro detection_values() %}{{ return(20000) }}{% endmacro %}
{% macro detection_source(entity) -%}
    (select * from {{ source('shop', entity) }} limit {{ detection_rows() }})
{%- endmacro %}

{#- A trimmed id, with whole-number floats normalised ('17850.0' -> '17850') and null tokens as null. -#}
{% macro normalize_id(expression) %}
    case
        when lower(trim({{ expression }})) in ('{{ null_tokens() | join("', '") }}') or {{ expression }} is null then null
        -- the regex only where there is a point to drop: ids are read at order scale
        when not contains({{ expression }}, '.') then trim({{ expression }})
        else regexp_replace(trim({{ expression }}), '^([+-]?[0-9]+)\.0+$', '\1')
    end
{%- endmacro %}


{#- Blank (after trimming) -> null; anything else as given, trimmed. -#}
{% macro blank_as_null(expression) %}nullif(trim({{ expression }}), ''){% endmacro %}


{#- Money and other decimal text without currency symbols, codes or spaces; '(12.50)' -> '-12.50'. -#}
{% macro strip_money(expression) %}
    regexp_replace(
        regexp_replace(
            regexp_replace(trim({{ expression }}), '[\s\x{00A0}''$£€¥₹]|\b(USD|EUR|GBP|JPY|CHF|CAD|AUD|INR)\b', '', 'g'),
            '^\((.*)\)$', '-\1'
        ),
        '^-?\+', ''
    )
{%- endmacro %}


{#- A decimal from text, given the decimal separator ('.' or ','). The other mark may only group
    thousands ('1,234.50' or '1.234,50'); any other use makes the value unreadable (null), so that
    a value read under the wrong convention is quarantined instead of silently scaled. -#}
{% macro parse_decimal(expression, separator, type='decimal(18, 4)') %}
    {%- set group = ',' if separator == '.' else '.' -%}
    {%- set g = '\\' ~ group -%}
    {%- set s = '\\' ~ separator -%}
    case
        {%- if separator == '.' %}
        -- plain numbers ('26.35', '-3') need none of the clean-up below, which costs three regexes
        when regexp_full_match(trim({{ expression }}), '[+-]?[0-9]+(\.[0-9]+)?')
            then try_cast(trim({{ expression }}) as {{ type }})
        {%- endif %}
        when regexp_full_match({{ strip_money(expression) }}, '[+-]?([0-9]{1,3}({{ g }}[0-9]{3})+|[0-9]*)({{ s }}[0-9]+)?')
            and regexp_matches({{ strip_money(expression) }}, '[0-9]')
            then try_cast(replace(replace({{ strip_money(expression) }}, '{{ group }}', ''), '{{ separator }}', '.') as {{ type }})
        {%- if separator == '.' %}
        -- other forms DuckDB reads as a number ('1e3', '.5')
        else try_cast({{ strip_money(expression) }} as {{ type }})
        {%- endif %}
    end
{%- endmacro %}


{#- Whether a text holds a number in scientific, special or plain form that DuckDB can read as a
    double (used to tell "too large for the money type" from "not a number"). -#}
{% macro parses_as_double(expression) %}
    isfinite(try_cast({{ strip_money(expression) }} as double))
{%- endmacro %}


{#- The decimal separator of an input's money columns: the var when set, else detected from the
    values ('12,50' and '1.234,50' say comma; '12.50' and '1,234.50' say point; '1,234' says
    nothing). Stops when the column clearly mixes both. -#}
{% macro decimal_separator(entity, columns, names) %}
    {%- set var_name = entity ~ '_decimal_separator' -%}
    {%- set setting = validated_var(var_name) | string -%}
    {%- if setting in ('.', ',') -%}{{ return(setting) }}{%- endif -%}
    {%- set present = [] -%}
    {%- for name in names if name in columns -%}{%- do present.append(name) -%}{%- endfor -%}
    {%- if not present or not execute -%}{{ return('.') }}{%- endif -%}
    {%- set parts = [] -%}
    {%- for name in present -%}
        {%- do parts.append('select ' ~ strip_money(input_column(columns, name)) ~ ' as v from ' ~ detection_source(entity) ~ ' as source') -%}
    {%- endfor -%}
    {%- set query -%}
        with v as (
            select v
            from (select distinct v from ({{ parts | join(' union all ') }}) where v is not null and v <> '')
            order by hash(v), v
            limit {{ detection_values() }}
        )
        select
            count(*) filter (where regexp_full_match(v, '[+-]?[0-9.]*,([0-9]{1,2}|[0-9]{4,})')
                or regexp_full_match(v, '[+-]?[0-9]{1,3}(\.[0-9]{3})+,[0-9]+')) as comma_votes,
            count(*) filter (where regexp_full_match(v, '[+-]?[0-9,]*\.([0-9]{1,2}|[0-9]{4,})')
                or regexp_full_match(v, '[+-]?[0-9]{1,3}(,[0-9]{3})+\.[0-9]+')) as point_votes,
            min(v) filter (where regexp_full_match(v, '[+-]?[0-9.]*,([0-9]{1,2}|[0-9]{4,})')) as comma_example,
            min(v) filter (where regexp_full_match(v, '[+-]?[0-9,]*\.([0-9]{1,2}|[0-9]{4,})')) as point_example
        from v
    {%- endset -%}
    {%- set row = run_query(query).rows[0] -%}
    {%- set comma, point = row[0], row[1] -%}
    {%- set chosen = ',' if comma > point else '.' -%}
    {%- if comma > 0 and point > 0 and [comma, point] | min > 0.01 * ([comma, point] | max) -%}
        {{ exceptions.raise_compiler_error(
            input_label(entity) ~ ": money columns " ~ present ~ " mix decimal commas ('" ~ row[2] ~ "', "
            ~ comma ~ " values) and decimal points ('" ~ row[3] ~ "', " ~ point ~ " values); set "
            ~ var_name ~ " to ',' or '.'") }}
    {%- endif -%}
    {%- if chosen == ',' -%}
        {{ log(input_label(entity) ~ ": money columns " ~ present ~ " use a decimal comma (detected from values like '"
            ~ row[2] ~ "'; set " ~ var_name ~ " to change it)", info=true) }}
    {%- endif -%}
    {{ return(chosen) }}
{% endmacro %}


{#- The timestamp formats tried on a text date column, in order of preference. 'iso' is ISO 8601
    with optional time, fraction and offset; 'epoch_s' / 'epoch_ms' are Unix times. -#}
{% macro timestamp_formats() %}
    {{ return([
        'iso', 'epoch_s', 'epoch_ms',
        '%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m/%d/%Y %I:%M:%S %p', '%m/%d/%Y %I:%M %p', '%m/%d/%Y',
        '%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%d/%m/%Y',
        '%m/%d/%y %H:%M', '%m/%d/%y', '%d/%m/%y %H:%M', '%d/%m/%y',
        '%d.%m.%Y %H:%M:%S', '%d.%m.%Y %H:%M', '%d.%m.%Y', '%d.%m.%y',
        '%d-%m-%Y %H:%M:%S', '%d-%m-%Y %H:%M', '%d-%m-%Y', '%m-%d-%Y',
        '%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', '%Y/%m/%d', '%Y.%m.%d',
        '%d-%b-%y', '%d-%b-%Y', '%d-%b-%Y %H:%M', '%d %b %Y', '%d %B %Y', '%b %d, %Y', '%B %d, %Y',
    ]) }}
{% endmacro %}


{#- One text value as a UTC timestamp under one format of timestamp_formats() (or any strptime
    format); null when it does not fit. An offset (+05:30, Z) is converted to UTC. -#}
{% macro parse_timestamp(expression, format) %}
    {%- set text = 'trim(' ~ expression ~ ')' -%}
    {%- if format == 'iso' -%}
        case
            -- no offset, the common case: one regex per value instead of three
            when regexp_full_match({{ text }}, '[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9:.]+)?') then try_cast({{ text }} as timestamp)
            when not regexp_full_match({{ text }}, '[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9:.]+)?\s*(Z|[+-][0-9]{2}(:?[0-9]{2})?)?') then null
            when regexp_matches({{ text }}, '(Z|[+-][0-9]{2}(:?[0-9]{2})?)$') and regexp_matches({{ text }}, '[T ]')
                then timezone('UTC', try_cast({{ text }} as timestamptz))
            else try_cast({{ text }} as timestamp)
        end
    {%- elif format == 'epoch_s' -%}
        case when regexp_full_match({{ text }}, '[0-9]{9,10}') then to_timestamp(cast({{ text }} as bigint))::timestamp end
    {%- elif format == 'epoch_ms' -%}
        case when regexp_full_match({{ text }}, '[0-9]{12,13}') then epoch_ms(cast({{ text }} as bigint)) end
    {%- elif '%z' in format or '%Z' in format -%}
        timezone('UTC', try_strptime({{ text }}, '{{ format | replace("'", "''") }}'))
    {%- else -%}
        try_strptime({{ text }}, '{{ format | replace("'", "''") }}')
    {%- endif -%}
{%- endmacro %}


{#- The format of one date column: the var <entity>_date_format when set, else the format of
    timestamp_formats() that reads the most distinct values. Two formats that read as many values
    but disagree on one (01/02/2010: 1 February or 2 January?) stop the run, naming the var. -#}
{% macro timestamp_format(entity, columns, name) %}
    {%- set var_name = entity ~ '_date_format' -%}
    {%- set setting = (validated_var(var_name) or '') | string | trim -%}
    {%- if setting -%}{{ return(setting) }}{%- endif -%}
    {%- if name not in columns or not execute -%}{{ return('iso') }}{%- endif -%}
    {%- set formats = timestamp_formats() -%}
    {%- set query -%}
        with v as (
            select v
            from (
                select distinct trim({{ input_column(columns, name) }}) as v
                from {{ detection_source(entity) }} as source
                where nullif(trim({{ input_column(columns, name) }}), '') is not null
            )
            order by hash(v), v
            limit {{ detection_values() }}
        )
        select
            count(*)
            {%- for format in formats %},
            count(*) filter (where year({{ parse_timestamp('v', format) }}) between 1900 and 2200),
            sum(epoch_us({{ parse_timestamp('v', format) }})::hugeint)
                filter (where year({{ parse_timestamp('v', format) }}) between 1900 and 2200)
            {%- endfor %},
            min(v)
        from v
    {%- endset -%}
    {%- set row = run_query(query).rows[0] -%}
    {%- set ns = namespace(best=none, best_count=0, best_sum=none, rival=none) -%}
    {%- for format in formats -%}
        {%- set n = row[1 + 2 * loop.index0] -%}
        {%- set total = row[2 + 2 * loop.index0] -%}
        {%- if n > ns.best_count -%}
            {%- set ns.best, ns.best_count, ns.best_sum, ns.rival = format, n, total, none -%}
        {%- elif n == ns.best_count and n > 0 and total != ns.best_sum and ns.rival is none -%}
            {%- set ns.rival = format -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set label = input_label(entity) ~ ": column '" ~ columns[name] ~ "' (" ~ name ~ ")" -%}
    {%- if ns.rival is not none -%}
        {{ exceptions.raise_compiler_error(
            label ~ ": dates like '" ~ row[-1] ~ "' read as both " ~ ns.best ~ " and " ~ ns.rival
            ~ " (day and month are ambiguous); set " ~ var_name ~ " to the right one, e.g. --vars \"{"
            ~ var_name ~ ": '" ~ ns.rival ~ "'}\"") }}
    {%- endif -%}
    {%- if ns.best is none -%}
        {{ log(label ~ ": no known date format reads its values (e.g. '" ~ row[-1] ~ "'); set " ~ var_name, info=true) }}
        {{ return('iso') }}
    {%- endif -%}
    {%- if ns.best != 'iso' -%}
        {{ log(label ~ ": dates read as " ~ ns.best ~ " (" ~ ns.best_count ~ " of " ~ row[0]
            ~ " distinct values checked); set " ~ var_name ~ " to change it", info=true) }}
    {%- endif -%}
    {{ return(ns.best) }}
{% endmacro %}


{#- 1 when annual_income is in thousands (as the model expects), 1000 when it is in whole units:
    the income_unit var, or with auto the median of the values (above 1,000 means whole units). -#}
{% macro income_unit_divisor(columns, separator) %}
    {%- set setting = validated_var('income_unit') | string -%}
    {%- if setting == 'thousands' or 'annual_income' not in columns or not execute -%}{{ return(1) }}{%- endif -%}
    {%- if setting == 'units' -%}{{ return(1000) }}{%- endif -%}
    {%- set median = run_query(
        'select median(try_cast(' ~ parse_decimal(input_column(columns, 'annual_income'), separator) ~ ' as double)) from '
        ~ detection_source('customers') ~ ' as source').columns[0].values()[0] -%}
    {%- set label = input_label('customers') ~ ": income column '" ~ columns['annual_income'] ~ "'" -%}
    {%- if median is not none and median > 1000 -%}
        {{ log(label ~ " is in whole units (median " ~ '{:,.0f}'.format(median) ~ "): divided by 1,000 to thousands. Set income_unit: thousands to keep it as given", info=true) }}
        {{ return(1000) }}
    {%- endif -%}
    {{ log(label ~ " is taken as thousands (median " ~ ('{:,.1f}'.format(median) if median is not none else 'none') ~ "). Set income_unit: units if it is in whole units", info=true) }}
    {{ return(1) }}
{% endmacro %}

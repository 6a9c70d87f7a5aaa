-- Every raw customer row, typed and normalised, with the reason it is rejected (null = clean).
-- stg_shop__customers keeps the clean rows and stg_shop__quarantined_rows the rest, so
-- raw = clean + quarantined holds by construction (and is tested).
-- A value is required only when the input has that column: a file without an age column is
-- fine, an empty age in a file that has one is not. Age may come from a birth year or date,
-- as of as_of_date. Income is in thousands; an input in whole units is divided by 1,000
-- (income_unit var, detected from the values when auto).
{%- set present = input_is_present('customers') %}
{%- set columns = resolve_input_columns('customers') if execute and present else {} %}
{%- set order_columns = resolve_input_columns('orders') if execute and not present else {} %}
{%- set separator = decimal_separator('customers', columns, ['annual_income']) %}
{%- set signup_format = timestamp_format('customers', columns, 'signup_date') %}
{%- set birth_format = timestamp_format('customers', columns, 'birth_date') %}
{%- set income_divisor = income_unit_divisor(columns, separator) %}
{%- set age_columns = [] %}
{%- for name in ('age', 'birth_year', 'birth_date') if name in columns %}{% do age_columns.append(name) %}{% endfor %}
{%- set age_column = age_columns[0] if age_columns else none %}
{%- if execute and age_column in ('birth_year', 'birth_date') %}
    {{ log(input_label('customers') ~ ": age computed from column '" ~ columns[age_column] ~ "' (" ~ age_column ~ ") as of as_of_date", info=true) }}
{%- endif %}

with

as_of as (

    select * from {{ ref('base_shop__as_of_date') }}

),

source as (

    {%- if present %}
        select
            {%- for spec in input_column_specs('customers') %}
                {{ input_column(columns, spec.name) }} as {{ spec.name }},
            {%- endfor %}
            row_number() over () as source_row
        from {{ source('shop', 'customers') }}
    {%- else %}
    -- no customers input: the customers are the distinct ids of the orders
        select
            {%- for spec in input_column_specs('customers') %}
                {{ 'customer_id' if spec.name == 'customer_id' else 'cast(null as varchar)' }} as {{ spec.name }},
            {%- endfor %}
            row_number() over (order by customer_id) as source_row
        from (
            select distinct {{ normalize_id(input_column(order_columns, 'customer_id')) }} as customer_id
            from {{ source('shop', 'orders') }}
        )
        where customer_id is not null
    {%- endif %}

),

renamed as (

    select
        source.source_row,
        {{ normalize_id('source.customer_id') }} as customer_id,
        {{ normalize_gender('source.gender') }} as gender,
        {%- if age_column == 'birth_year' %}
        year(as_of.as_of_date) - try_cast({{ parse_decimal('source.birth_year', '.') }} as double) as age_value,
        {%- elif age_column == 'birth_date' %}
        cast(date_part('year', age(
            as_of.as_of_date, cast({{ parse_timestamp('source.birth_date', birth_format) }} as date)
        )) as double) as age_value,
        {%- else %}
            try_cast({{ parse_decimal('source.age', separator) }} as double) as age_value,
        {%- endif %}
        try_cast({{ parse_decimal('source.annual_income', separator) }} as double)
        / {{ income_divisor }} as annual_income_value,
        try_cast({{ parse_decimal('source.spending_score', separator) }} as double) as spending_score_value,
        try_cast({{ parse_decimal('source.credit_score', separator) }} as double) as credit_score_value,
        coalesce(nullif(lower(trim(source.card_type)), ''), 'unknown') as card_type,
        coalesce(
            upper(left(nullif(trim(source.region), ''), 1)) || lower(substr(trim(source.region), 2)),
            'Unknown'
        ) as region,
        {{ parse_timestamp('source.signup_date', signup_format) }} as signup_at,
        source.{{ age_column or 'age' }} as age_raw,
        source.annual_income as annual_income_raw,
        source.spending_score as spending_score_raw,
        source.credit_score as credit_score_raw,
        source.signup_date as signup_date_raw,
        -- the row as given, kept as JSON for rejected rows only
        struct_pack(
            {%- for spec in input_column_specs('customers') if spec.name in columns or spec.name == 'customer_id' %}
                {{ spec.name }} := source.{{ spec.name }}{{ ',' if not loop.last }}
            {%- endfor %}
        ) as raw_row
    from source
    cross join as_of

),

fingerprinted as (

    select
        renamed.*,
        hash(struct_pack(
            renamed.gender,
            renamed.age_value,
            renamed.annual_income_value,
            renamed.spending_score_value,
            renamed.credit_score_value,
            renamed.card_type,
            renamed.region,
            renamed.signup_at
        )) as normalized_record
    from renamed

),

checked as (

    select
        fingerprinted.*,
        {{ duplicate_checks('fingerprinted', 'customer_id') }}
    from fingerprinted

),

classified as (

    select
        source_row,
        customer_id,
        gender,
        try_cast(round(age_value) as integer) as age,
        annual_income_value as annual_income,
        try_cast(round(spending_score_value) as integer) as spending_score,
        try_cast(round(credit_score_value) as integer) as credit_score,
        card_type,
        region,
        cast(signup_at as date) as signup_date,
        raw_row,
        coalesce(
            case
                when customer_id is null then 'missing_customer_id'
                when copy_number > 1 then 'duplicate_row'
                when versions_of_id > 1 then 'conflicting_customer_id'
            end,
            {{ numeric_rejection('age', 'age_raw', 'age_value', required=(age_column is not none) | string | lower) }},
            {{ numeric_rejection('annual_income', 'annual_income_raw', 'annual_income_value',
                required=('annual_income' in columns) | string | lower) }},
            {{ numeric_rejection('spending_score', 'spending_score_raw', 'spending_score_value',
                required=('spending_score' in columns) | string | lower) }},
            {{ numeric_rejection('credit_score', 'credit_score_raw', 'credit_score_value', required='false') }},
            case
                when nullif(trim(signup_date_raw), '') is null then null
                when signup_at is null then 'invalid_signup_date'
                when signup_at < timestamp '1900-01-01' then 'out_of_range_signup_date'
                when not {{ is_plausible_timestamp('signup_at') }} then 'signed_up_in_future'
            end
        ) as rejection_reason
    from checked

),

final as (

    select
        classified.* exclude (raw_row),  -- noqa: RF03
        case when classified.rejection_reason is not null then to_json(classified.raw_row) end as raw_record
    from classified

)

select * from final

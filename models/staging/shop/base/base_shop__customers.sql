-- Every raw customer row, typed and normalised, with the reason it is rejected (null = clean).
-- stg_shop__customers keeps the clean rows and stg_shop__quarantined_rows the rest,
-- so raw = clean + quarantined holds by construction (and is tested).
-- A value is required only when the input has that column at all (input_columns): a file
-- without an age column is fine, an empty age in a file that has one is not.

with

source as (

    select * from {{ ref('base_shop__raw_customers') }}

),

renamed as (

    select
        nullif(trim(source.customer_id), '') as customer_id,
        {{ normalize_gender('source.gender') }} as gender,
        try_cast(trim(source.age) as double) as age_value,
        try_cast(trim(source.annual_income) as double) as annual_income_value,
        try_cast(trim(source.spending_score) as double) as spending_score_value,
        try_cast(trim(source.credit_score) as double) as credit_score_value,
        coalesce(nullif(lower(trim(source.card_type)), ''), 'unknown') as card_type,
        coalesce(
            upper(left(nullif(trim(source.region), ''), 1)) || lower(substr(trim(source.region), 2)),
            'Unknown'
        ) as region,
        try_cast(trim(source.signup_date) as date) as signup_date,
        source.age as age_raw,
        source.annual_income as annual_income_raw,
        source.spending_score as spending_score_raw,
        source.credit_score as credit_score_raw,
        source.signup_date as signup_date_raw,
        source.input_columns,
        -- the row as given, kept as JSON for rejected rows only
        struct_pack(
            customer_id := source.customer_id,
            gender := source.gender,
            age := source.age,
            annual_income := source.annual_income,
            spending_score := source.spending_score,
            credit_score := source.credit_score,
            card_type := source.card_type,
            region := source.region,
            signup_date := source.signup_date
        ) as raw_row
    from source

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
            renamed.signup_date
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
        customer_id,
        gender,
        try_cast(round(age_value) as integer) as age,
        annual_income_value as annual_income,
        try_cast(round(spending_score_value) as integer) as spending_score,
        try_cast(round(credit_score_value) as integer) as credit_score,
        card_type,
        region,
        signup_date,
        raw_row,
        coalesce(
            case
                when customer_id is null then 'missing_customer_id'
                when copy_number > 1 then 'duplicate_row'
                when versions_of_id > 1 then 'conflicting_customer_id'
            end,
            {{ numeric_rejection('age', 'age_raw', 'age_value',
                required="list_contains(input_columns, 'age')") }},
            {{ numeric_rejection('annual_income', 'annual_income_raw', 'annual_income_value',
                required="list_contains(input_columns, 'annual_income')") }},
            {{ numeric_rejection('spending_score', 'spending_score_raw', 'spending_score_value',
                required="list_contains(input_columns, 'spending_score')") }},
            {{ numeric_rejection('credit_score', 'credit_score_raw', 'credit_score_value', required='false') }},
            case
                when nullif(trim(signup_date_raw), '') is not null and signup_date is null
                    then 'invalid_signup_date'
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

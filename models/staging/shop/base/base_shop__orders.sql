-- Every raw order row, typed and normalised, with the reason it is rejected (null = clean).
-- Refunds (amount <= 0) are clean rows: they are flagged, not rejected.
-- Without an order_id column, an order's id is a hash of its content, so identical rows are
-- caught as duplicates. Orders on or after an explicitly set as_of_date are quarantined.

with

source as (

    select * from {{ ref('base_shop__raw_orders') }}

),

clean_customers as (

    select customer_id from {{ ref('stg_shop__customers') }}

),

all_customer_ids as (

    select distinct customer_id from {{ ref('base_shop__customers') }}
    where customer_id is not null

),

renamed as (

    select
        nullif(trim(source.customer_id), '') as customer_id,
        try_cast(trim(source.ordered_at) as timestamp) as ordered_at,
        try_cast(trim(source.amount) as double) as amount,
        coalesce(nullif(lower(trim(source.product_category)), ''), 'unknown') as product_category,
        case
            when lower(trim(source.is_discounted)) in ('true', 't', '1', 'yes', 'y') then true
            when lower(trim(source.is_discounted)) in ('false', 'f', '0', 'no', 'n') then false
        end as is_discounted,
        case
            when list_contains(source.input_columns, 'order_id') then nullif(trim(source.order_id), '')
            else 'row-' || md5(concat_ws(
                '|', trim(source.customer_id), trim(source.ordered_at), trim(source.amount),
                lower(trim(source.product_category)), lower(trim(source.is_discounted))
            ))
        end as order_id,
        source.ordered_at as ordered_at_raw,
        source.amount as amount_raw,
        source.is_discounted as is_discounted_raw,
        list_contains(source.input_columns, 'is_discounted') as has_discount_column,
        -- the row as given, kept as JSON for rejected rows only
        struct_pack(
            order_id := source.order_id,
            customer_id := source.customer_id,
            ordered_at := source.ordered_at,
            amount := source.amount,
            product_category := source.product_category,
            is_discounted := source.is_discounted
        ) as raw_row
    from source

),

fingerprinted as (

    select
        renamed.*,
        hash(struct_pack(
            renamed.customer_id,
            renamed.ordered_at,
            renamed.amount,
            renamed.product_category,
            renamed.is_discounted,
            ordered_at_text := trim(renamed.ordered_at_raw),
            amount_text := trim(renamed.amount_raw)
        )) as normalized_record
    from renamed

),

checked as (

    select
        fingerprinted.*,
        {{ duplicate_checks('fingerprinted', 'order_id') }},
        clean_customers.customer_id is not null as is_known_clean_customer,
        all_customer_ids.customer_id is not null as is_known_raw_customer
    from fingerprinted
    left join clean_customers
        on fingerprinted.customer_id = clean_customers.customer_id
    left join all_customer_ids
        on fingerprinted.customer_id = all_customer_ids.customer_id

),

classified as (

    select
        order_id,
        customer_id,
        ordered_at,
        amount,
        product_category,
        is_discounted,
        raw_row,
        case
            when order_id is null then 'missing_order_id'
            when copy_number > 1 then 'duplicate_row'
            when versions_of_id > 1 then 'conflicting_order_id'
            when customer_id is null then 'missing_customer_id'
            when nullif(trim(ordered_at_raw), '') is null then 'missing_ordered_at'
            when ordered_at is null then 'invalid_ordered_at'
            when ordered_at >= {{ as_of_date_literal() }} then 'ordered_after_as_of_date'
            when nullif(trim(amount_raw), '') is null then 'missing_amount'
            when amount is null or not isfinite(amount) then 'invalid_amount'
            when has_discount_column and is_discounted is null then 'invalid_is_discounted'
            when not is_known_raw_customer then 'unknown_customer'
            when not is_known_clean_customer then 'customer_quarantined'
        end as rejection_reason
    from checked

),

final as (

    select
        classified.* exclude (raw_row),  -- noqa: RF03
        case when classified.rejection_reason is not null then to_json(classified.raw_row) end as raw_record
    from classified

)

select * from final

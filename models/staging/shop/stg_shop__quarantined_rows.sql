-- Every raw row that did not make it into a clean staging model, with the reason why and its
-- position in the input (source_row: 1 = the first data row), so a user can find it.

with

customers as (

    select
        'raw_customers' as source_name,
        source_row,
        json_extract_string(raw_record, '$.customer_id') as source_key,
        rejection_reason,
        raw_record
    from {{ ref('base_shop__customers') }}
    where rejection_reason is not null

),

order_lines as (

    select
        'raw_orders' as source_name,
        source_row,
        coalesce(
            json_extract_string(raw_record, '$.order_id'), json_extract_string(raw_record, '$.customer_id')
        ) as source_key,
        rejection_reason,
        raw_record
    from {{ ref('base_shop__order_lines') }}
    where rejection_reason is not null

),

unioned as (

    select * from customers
    union all
    select * from order_lines

),

final as (

    select
        source_name || ':' || source_row as quarantined_row_id,
        source_name,
        source_row,
        source_key,
        rejection_reason,
        cast(raw_record as varchar) as raw_record
    from unioned

)

select * from final

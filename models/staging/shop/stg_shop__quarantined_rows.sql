-- Every raw row that did not make it into a clean staging model, with the reason why.

with

customers as (

    select
        'raw_customers' as source_name,
        json_extract_string(raw_record, '$.customer_id') as source_key,
        rejection_reason,
        raw_record
    from {{ ref('base_shop__customers') }}
    where rejection_reason is not null

),

orders as (

    select
        'raw_orders' as source_name,
        json_extract_string(raw_record, '$.order_id') as source_key,
        rejection_reason,
        raw_record
    from {{ ref('base_shop__orders') }}
    where rejection_reason is not null

),

unioned as (

    select * from customers
    union all
    select * from orders

),

final as (

    select
        source_name || ':' || row_number() over (
            partition by source_name order by rejection_reason, raw_record
        ) as quarantined_row_id,
        source_name,
        source_key,
        rejection_reason,
        cast(raw_record as varchar) as raw_record
    from unioned

)

select * from final

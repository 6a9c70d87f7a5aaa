with

validated as (

    select * from {{ ref('base_shop__orders') }}

),

final as (

    select
        order_id,
        customer_id,
        ordered_at,
        cast(amount as decimal(18, 2)) as amount,
        product_category,
        is_discounted,
        amount <= 0 as is_refund
    from validated
    where rejection_reason is null

)

select * from final

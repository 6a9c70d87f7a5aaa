{{ check_rejected_share('orders', ref('base_shop__order_lines')) }}

with

validated as (

    select * from {{ ref('base_shop__order_lines') }}

),

final as (

    select
        source_row as order_line_id,
        order_id,
        customer_id,
        product_id,
        ordered_at,
        quantity,
        unit_price,
        amount,
        product_category,
        is_discounted,
        is_cancellation,
        is_repeat_of_identical_row
    from validated
    where rejection_reason is null

)

select * from final

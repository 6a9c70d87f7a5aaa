-- depends_on: {{ ref('base_shop__as_of_date') }}
{{ check_rejected_share('orders', ref('base_shop__order_lines')) }}
{{ check_orders_before_as_of_date(ref('base_shop__order_lines')) }}

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
    -- the window: a clean line on or after as_of_date is left out here, not quarantined
    where rejection_reason is null and not is_after_as_of_date

)

select * from final

{{ config(materialized="table") }}
-- A table, not a view like the rest of staging: the order grain is read by the RFM features,
-- the marts and ten tests, and as a view each of them would re-aggregate every order line.

-- One row per order: all clean lines of one order id make one order. Its amount is the sum of
-- its lines. An order is a purchase when it is not a cancellation and its amount is positive,
-- a return when it is a cancellation or its amount is negative, and no_charge at exactly zero
-- (free items only): neither a purchase nor a return.

with

lines as (

    select * from {{ ref('stg_shop__order_lines') }}

),

orders as (

    select
        order_id,
        -- every line of an order has the same customer and time (else conflicting_order_id)
        any_value(customer_id) as customer_id,
        min(ordered_at) as ordered_at,
        sum(amount) as amount,
        count(*) as n_lines,
        bool_or(is_discounted) as is_discounted,
        bool_or(is_cancellation) as is_cancellation
    from lines
    group by order_id

),

final as (

    select
        order_id,
        customer_id,
        ordered_at,
        cast(amount as decimal(18, 2)) as amount,
        n_lines,
        is_discounted,
        case
            when is_cancellation or amount < 0 then 'return'
            when amount = 0 then 'no_charge'
            else 'purchase'
        end as order_kind,
        not is_cancellation and amount > 0 as is_purchase,
        is_cancellation or amount < 0 as is_refund
    from orders

)

select * from final

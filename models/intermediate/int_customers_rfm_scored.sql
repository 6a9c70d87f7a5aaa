-- Recency, frequency, monetary value and friends for every clean customer, as of one date.
-- as_of_date comes from base_shop__as_of_date (the var, or the day after the latest plausible
-- order), so that reruns on the same data give the same numbers. Only orders before it count.
-- Returns reduce monetary_total but are not purchases, and no-charge orders are neither: only
-- purchases count towards frequency, recency, average order value and discount share.
-- Features that need absent data are not built: with no clean orders at all (a demographics-only
-- input) every order-based column is null, and discount_share is null without discount flags.
-- A customer who signed up on or after as_of_date with no order before it was not yet a
-- customer at that date: the row is kept, flagged is_signed_up_after_as_of_date, with every
-- feature null (never a negative recency or tenure), and the segmentation leaves it out.

with

customers as (

    select * from {{ ref('stg_shop__customers') }}

),

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

as_of as (

    select * from {{ ref('base_shop__as_of_date') }}

),

windowed_orders as (

    select orders.*
    from orders
    cross join as_of
    where orders.ordered_at < as_of.as_of_date

),

run_date as (

    select
        any_value(as_of.as_of_date) as as_of_date,
        count(windowed_orders.order_id) > 0 as has_orders,
        count(windowed_orders.is_discounted) > 0 as has_discount_flags
    from as_of
    left join windowed_orders on true

),

order_totals as (

    select
        customer_id,
        count(*) filter (where is_purchase) as frequency,
        count(*) filter (where is_refund) as refund_count,
        sum(amount) as monetary_total,
        sum(amount) filter (where is_purchase) as gross_purchases,
        count(*) filter (where is_purchase and is_discounted) as discounted_purchases,
        min(ordered_at) as first_order_at,
        max(ordered_at) filter (where is_purchase) as last_purchase_at
    from windowed_orders
    group by customer_id

),

joined as (

    select
        customers.customer_id,
        run_date.as_of_date,
        run_date.has_orders,
        run_date.has_discount_flags,
        customers.signup_date,
        order_totals.first_order_at,
        order_totals.last_purchase_at,
        coalesce(order_totals.frequency, 0) as frequency,
        coalesce(order_totals.refund_count, 0) as refund_count,
        coalesce(order_totals.monetary_total, 0) as monetary_total,
        coalesce(order_totals.gross_purchases, 0) as gross_purchases,
        coalesce(order_totals.discounted_purchases, 0) as discounted_purchases,
        least(customers.signup_date, cast(order_totals.first_order_at as date)) as customer_since_date,
        -- no order before as_of_date (first_order_at is windowed) and a signup on or after it
        coalesce(customers.signup_date >= run_date.as_of_date and order_totals.first_order_at is null, false)
            as is_signed_up_after_as_of_date
    from customers
    cross join run_date
    left join order_totals
        on customers.customer_id = order_totals.customer_id

),

final as (

    select
        customer_id,
        as_of_date,
        customer_since_date,
        first_order_at,
        last_purchase_at,
        is_signed_up_after_as_of_date,
        -- days since the last purchase; with no purchase yet, days since the customer joined
        case
            when has_orders and not is_signed_up_after_as_of_date
                then as_of_date - coalesce(cast(last_purchase_at as date), customer_since_date)
        end as recency_days,
        case when has_orders and not is_signed_up_after_as_of_date then frequency end as frequency,
        case when has_orders and not is_signed_up_after_as_of_date then refund_count end as refund_count,
        case
            when has_orders and not is_signed_up_after_as_of_date then cast(monetary_total as decimal(18, 2))
        end as monetary_total,
        case
            when has_orders and not is_signed_up_after_as_of_date
                then {{ decimal_mean("gross_purchases", "frequency") }}
        end as avg_order_value,
        case when not is_signed_up_after_as_of_date then as_of_date - customer_since_date end as tenure_days,
        case
            when has_orders and has_discount_flags and not is_signed_up_after_as_of_date
                then case when frequency > 0 then discounted_purchases / frequency else 0 end
        end as discount_share,
        -- Mall-style score: the customer's monetary_total percentile among the customers as of
        -- as_of_date, mapped onto 1..100
        case
            when has_orders and not is_signed_up_after_as_of_date
                then cast(1 + floor(99 * percent_rank() over (
                    partition by is_signed_up_after_as_of_date order by monetary_total
                )) as integer)
        end as spending_score,
        frequency > 0 as has_purchases
    from joined

)

select * from final

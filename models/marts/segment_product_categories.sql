-- Which product categories each segment buys more (or less) than customers overall.
-- lift = the category's share of the segment's purchases / its share of all purchases.
-- Purchases only (refunds excluded), before as_of_date.

with

segments as (

    select * from {{ ref('customer_segments') }}

),

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

segment_purchases as (

    select
        segments.segment_id,
        segments.segment_name,
        orders.product_category,
        orders.amount
    from orders
    inner join segments
        on orders.customer_id = segments.customer_id
    where not orders.is_refund and orders.ordered_at < segments.as_of_date

),

by_segment_and_category as (

    select
        segment_id,
        segment_name,
        product_category,
        count(*) as n_purchases,
        sum(amount) as purchase_amount
    from segment_purchases
    group by segment_id, segment_name, product_category

),

final as (

    select
        segment_id,
        segment_name,
        product_category,
        n_purchases,
        purchase_amount,
        n_purchases / sum(n_purchases) over (partition by segment_id) as segment_share,
        sum(n_purchases) over (partition by product_category)
        / sum(n_purchases) over () as overall_share,
        (n_purchases / sum(n_purchases) over (partition by segment_id))
        / (sum(n_purchases) over (partition by product_category) / sum(n_purchases) over ()) as lift
    from by_segment_and_category

)

select * from final

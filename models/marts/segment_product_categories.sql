-- Which product categories each segment buys more (or less) than customers overall.
-- lift = the category's share of the segment's purchases / its share of all purchases.
-- A purchase of a category is a line of a purchase order (returns and no-charge orders excluded).

with

segments as (

    select * from {{ ref('customer_segments') }}

),

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

lines as (

    select * from {{ ref('stg_shop__order_lines') }}

),

segment_purchases as (

    select
        segments.segment_id,
        segments.segment_name,
        lines.product_category,
        lines.amount
    from lines
    inner join orders
        on lines.order_id = orders.order_id
    inner join segments
        on orders.customer_id = segments.customer_id
    where orders.is_purchase

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

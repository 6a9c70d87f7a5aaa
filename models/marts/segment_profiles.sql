-- What each segment looks like: size and share of customers, net revenue and share of revenue,
-- averages in original units, plus the most common gender and card type (ties go to the
-- alphabetically first value). Net revenue is the sum of the members' monetary_total: their
-- order amounts before as_of_date, net of refunds.

with

segments as (

    select * from {{ ref('customer_segments') }}

),

customers as (

    select * from {{ ref('customers') }}

),

segment_customers as (

    select
        segments.*,
        customers.gender,
        customers.card_type
    from segments
    inner join customers
        on segments.customer_id = customers.customer_id

),

top_genders as (

    {{ most_common_value('segment_customers', 'segment_id', 'gender') }}

),

top_card_types as (

    {{ most_common_value('segment_customers', 'segment_id', 'card_type') }}

),

aggregated as (

    select
        segment_id,
        segment_name,
        count(*) as n_customers,
        avg(age) as avg_age,
        avg(annual_income) as avg_annual_income,
        avg(spending_score) as avg_spending_score,
        avg(recency_days) as avg_recency_days,
        avg(frequency) as avg_frequency,
        avg(monetary_total) as avg_monetary_total,
        -- null, not 0, when no member has orders (a demographics-only input)
        sum(monetary_total) as net_revenue,
        avg(avg_order_value) as avg_order_value,
        avg(discount_share) as avg_discount_share,
        avg(credit_score) as avg_credit_score,
        avg(distance_to_centroid) as avg_distance_to_centroid
    from segment_customers
    group by segment_id, segment_name

),

final as (

    select
        aggregated.segment_id,
        aggregated.segment_name,
        aggregated.n_customers,
        aggregated.n_customers / sum(aggregated.n_customers) over () as customer_share,
        aggregated.net_revenue,
        cast(aggregated.net_revenue / nullif(sum(aggregated.net_revenue) over (), 0) as double) as revenue_share,
        round(aggregated.avg_age, 1) as avg_age,
        round(aggregated.avg_annual_income, 1) as avg_annual_income,
        round(aggregated.avg_spending_score, 1) as avg_spending_score,
        round(aggregated.avg_recency_days, 1) as avg_recency_days,
        round(aggregated.avg_frequency, 2) as avg_frequency,
        round(aggregated.avg_monetary_total, 2) as avg_monetary_total,
        round(aggregated.avg_order_value, 2) as avg_order_value,
        round(aggregated.avg_discount_share, 3) as avg_discount_share,
        round(aggregated.avg_credit_score, 1) as avg_credit_score,
        round(aggregated.avg_distance_to_centroid, 3) as avg_distance_to_centroid,
        top_genders.gender as top_gender,
        top_card_types.card_type as top_card_type
    from aggregated
    left join top_genders
        on aggregated.segment_id = top_genders.segment_id
    left join top_card_types
        on aggregated.segment_id = top_card_types.segment_id

)

select * from final

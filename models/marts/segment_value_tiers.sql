-- How much each segment is worth against its size: value_index = revenue_share /
-- customer_share (1 = it brings exactly its share of customers in net revenue), the tier from
-- seeds/value_tiers.csv (the tier with the highest min_value_index at or below the index; the
-- tier without a minimum takes the rest) and the rank by net revenue. With no orders there is
-- no revenue: index, tier and rank are null.

with

profiles as (

    select * from {{ ref('segment_profiles') }}

),

tiers as (

    select * from {{ ref('value_tiers') }}

),

indexed as (

    select
        segment_id,
        segment_name,
        generated_segment_name,
        n_customers,
        customer_share,
        net_revenue,
        revenue_share,
        revenue_share / nullif(customer_share, 0) as value_index
    from profiles

),

tiered as (

    select
        indexed.segment_id,
        tiers.tier_name,
        tiers.description as tier_description,
        row_number() over (
            partition by indexed.segment_id
            order by tiers.min_value_index desc nulls last
        ) as tier_rank
    from indexed
    inner join tiers
        on indexed.value_index >= tiers.min_value_index or tiers.min_value_index is null
    where indexed.value_index is not null

),

final as (

    select
        indexed.segment_id,
        indexed.segment_name,
        indexed.generated_segment_name,
        indexed.n_customers,
        indexed.customer_share,
        indexed.net_revenue,
        indexed.revenue_share,
        round(indexed.value_index, 3) as value_index,
        tiered.tier_name as value_tier,
        tiered.tier_description as value_tier_description,
        case
            when indexed.net_revenue is not null
                then rank() over (order by indexed.net_revenue desc nulls last)
        end as revenue_rank
    from indexed
    left join tiered
        on indexed.segment_id = tiered.segment_id and tiered.tier_rank = 1

)

select * from final

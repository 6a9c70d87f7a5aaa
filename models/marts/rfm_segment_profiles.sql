-- One row per named RFM segment of seeds/rfm_segments.csv (in its display_order), with its
-- description and recommended action, how many scored customers it holds and their share, the
-- revenue (sum of monetary_total) and its share, and the mean scores. Segments no one falls
-- into are listed with 0 customers; with nobody scored (no orders) the table is empty.

with

segment_map as (

    select * from {{ ref('rfm_segments') }}

),

scores as (

    select * from {{ ref('customer_rfm_scores') }}
    where rfm_segment is not null

),

per_segment as (

    select
        rfm_segment,
        count(*) as n_customers,
        sum(monetary_total) as revenue,
        avg(r_score) as avg_r_score,
        avg(f_score) as avg_f_score,
        avg(m_score) as avg_m_score
    from scores
    group by rfm_segment

),

totals as (

    select
        count(*) as n_customers,
        sum(monetary_total) as revenue
    from scores

),

final as (

    select
        segment_map.rfm_segment,
        segment_map.display_order,
        segment_map.description,
        segment_map.action,
        segment_map.r_min,
        segment_map.r_max,
        segment_map.f_min,
        segment_map.f_max,
        segment_map.m_min,
        segment_map.m_max,
        coalesce(per_segment.n_customers, 0) as n_customers,
        coalesce(per_segment.n_customers, 0) / totals.n_customers as customer_share,
        cast(coalesce(per_segment.revenue, 0) as decimal(38, 2)) as revenue,
        coalesce(per_segment.revenue, 0) / nullif(totals.revenue, 0) as revenue_share,
        per_segment.avg_r_score,
        per_segment.avg_f_score,
        per_segment.avg_m_score
    from segment_map
    cross join totals
    left join per_segment on segment_map.rfm_segment = per_segment.rfm_segment
    where totals.n_customers > 0

)

select * from final

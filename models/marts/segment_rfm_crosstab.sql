-- K-Means segment x named RFM segment: how many of a segment's scored customers fall into
-- each RFM segment, as a share of the K-Means segment and of the RFM segment. Customers
-- without a purchase (no RFM score) are left out of both shares.

with

segments as (

    select * from {{ ref('customer_segments') }}

),

scores as (

    select * from {{ ref('customer_rfm_scores') }}
    where rfm_segment is not null

),

counted as (

    select
        segments.segment_id,
        segments.segment_name,
        scores.rfm_segment,
        count(*) as n_customers
    from segments
    inner join scores on segments.customer_id = scores.customer_id
    group by segments.segment_id, segments.segment_name, scores.rfm_segment

),

final as (

    select
        segment_id,
        segment_name,
        rfm_segment,
        n_customers,
        n_customers / sum(n_customers) over (partition by segment_id) as share_of_segment,
        n_customers / sum(n_customers) over (partition by rfm_segment) as share_of_rfm_segment
    from counted

)

select * from final

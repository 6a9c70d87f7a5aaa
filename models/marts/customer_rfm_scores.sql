-- RFM scores 1-5 (5 best) and the named RFM segment of every customer of customer_rfm.
-- Only customers with a purchase before as_of_date are scored; the others keep their row with
-- null scores. Each measure is cut into quintiles of customers, and each value scores the
-- quintile of its first customer (macros/rfm/rfm_score.sql): equal values get equal scores, so a
-- value shared by many customers (one order) is scored as one, never split by row numbers.

with

rfm as (

    select * from {{ ref('customer_rfm') }}

),

segment_map as (

    select * from {{ ref('rfm_segments') }}

),

scored_customers as (

    select
        customer_id,
        recency_days,
        frequency,
        monetary_total
    from rfm
    where has_purchases

),

-- each measure's distinct values, worst to best (the longest recency, the fewest purchases and
-- the lowest spend first), with the position of their first customer in that order
recency_values as (

    {{ rfm_measure_values('scored_customers', 'recency_days', 'desc') }}

),

frequency_values as (

    {{ rfm_measure_values('scored_customers', 'frequency', 'asc') }}

),

monetary_values as (

    {{ rfm_measure_values('scored_customers', 'monetary_total', 'asc') }}

),

scores as (

    select
        scored_customers.customer_id,
        {{ rfm_score('recency_values') }} as r_score,
        {{ rfm_score('frequency_values') }} as f_score,
        {{ rfm_score('monetary_values') }} as m_score
    from scored_customers
    inner join recency_values on scored_customers.recency_days = recency_values.recency_days
    inner join frequency_values on scored_customers.frequency = frequency_values.frequency
    inner join monetary_values on scored_customers.monetary_total = monetary_values.monetary_total

),

named as (

    select
        scores.customer_id,
        scores.r_score,
        scores.f_score,
        scores.m_score,
        cast(scores.r_score as varchar) || cast(scores.f_score as varchar) || cast(scores.m_score as varchar)
            as rfm_cell,
        segment_map.rfm_segment
    from scores
    left join segment_map
        on
            scores.r_score between segment_map.r_min and segment_map.r_max
            and scores.f_score between segment_map.f_min and segment_map.f_max
            and scores.m_score between segment_map.m_min and segment_map.m_max

),

final as (

    select
        rfm.customer_id,
        rfm.as_of_date,
        rfm.recency_days,
        rfm.frequency,
        rfm.monetary_total,
        named.r_score,
        named.f_score,
        named.m_score,
        named.rfm_cell,
        named.rfm_segment
    from rfm
    left join named on rfm.customer_id = named.customer_id

)

select * from final

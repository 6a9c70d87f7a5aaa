-- The cut points of the RFM scores: for each measure and score, the smallest and largest value
-- that gets the score, with how many scored customers and distinct values it holds. Recency's
-- score 5 holds its smallest values (the most recent customers).

with

scores as (

    select * from {{ ref('customer_rfm_scores') }}
    where r_score is not null

),

measures as (

    select
        'recency_days' as measure,
        r_score as score,
        customer_id,
        cast(recency_days as decimal(18, 2)) as measure_value
    from scores
    union all
    select
        'frequency' as measure,
        f_score as score,
        customer_id,
        cast(frequency as decimal(18, 2)) as measure_value
    from scores
    union all
    select
        'monetary_total' as measure,
        m_score as score,
        customer_id,
        monetary_total as measure_value
    from scores

),

final as (

    select
        measure,
        score,
        min(measure_value) as min_value,
        max(measure_value) as max_value,
        count(*) as n_customers,
        count(distinct measure_value) as n_distinct_values
    from measures
    group by measure, score

)

select * from final

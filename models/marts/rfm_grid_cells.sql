-- The 5 x 5 recency x frequency grid of the RFM scores: scored customers and their mean
-- monetary_total per (r_score, f_score) cell, every cell listed (0 customers when empty) as
-- long as anyone is scored; no rows without orders. The report site shows a cell's mean only
-- when it holds at least report_min_cell_size customers (report_settings).

with

scores as (

    select * from {{ ref('customer_rfm_scores') }}
    where r_score is not null

),

score_values as (

    select cast(range as integer) as score
    from range(1, 6)
    -- no grid at all when nobody is scored
    where exists (select 1 from scores)

),

cells as (

    select
        r.score as r_score,
        f.score as f_score
    from score_values as r
    cross join score_values as f

),

final as (

    select
        cells.r_score,
        cells.f_score,
        cast(cells.r_score as varchar) || cast(cells.f_score as varchar) as rf_cell,
        count(scores.customer_id) as n_customers,
        cast(avg(scores.monetary_total) as decimal(18, 2)) as avg_monetary_total,
        string_agg(distinct scores.rfm_segment, ', ' order by scores.rfm_segment) as rfm_segments
    from cells
    left join scores
        on
            cells.r_score = scores.r_score
            and cells.f_score = scores.f_score
    group by cells.r_score, cells.f_score

)

select * from final

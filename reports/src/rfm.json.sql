-- RFM page data: the scores' summary, the 5 x 5 recency x frequency grid, the named RFM
-- segments, the cut points and the cross-tab with the K-Means segments. Aggregates only.

-- name: summary
-- How many customers were scored (a purchase before as_of_date) and how many not.
select
    count(*) as customers,
    count(r_score) as scored,
    count(*) - count(r_score) as not_scored,
    max(as_of_date) as as_of_date,
    (select currency from report_settings) as currency,
    (select report_min_cell_size from report_settings) as min_cell_size,
    -- frequency is null for every customer only when the build has no orders at all
    count(frequency) > 0 as has_orders
from customer_rfm_scores;

-- name: grid
-- One row per (recency score, frequency score) cell; a cell's mean spend only when it holds
-- at least report_min_cell_size customers, like the explore grids.
select
    grid.r_score,
    grid.f_score,
    grid.n_customers,
    case when grid.n_customers >= settings.report_min_cell_size then grid.avg_monetary_total end as avg_monetary_total,
    grid.rfm_segments
from rfm_grid_cells as grid
cross join report_settings as settings
order by grid.r_score, grid.f_score;

-- name: segments
-- The named RFM segments in the seed's display order.
select
    rfm_segment,
    description,
    action,
    n_customers,
    customer_share,
    revenue,
    revenue_share,
    avg_r_score,
    avg_f_score,
    avg_m_score,
    r_min,
    r_max,
    f_min,
    f_max,
    m_min,
    m_max
from rfm_segment_profiles
order by display_order;

-- name: thresholds
-- The values behind each score, per measure.
select
    measure,
    score,
    min_value,
    max_value,
    n_customers,
    n_distinct_values
from rfm_score_thresholds
order by measure, score;

-- name: crosstab
-- K-Means segment x named RFM segment.
select
    crosstab.segment_id,
    crosstab.segment_name,
    crosstab.rfm_segment,
    crosstab.n_customers,
    crosstab.share_of_segment,
    crosstab.share_of_rfm_segment
from segment_rfm_crosstab as crosstab
left join rfm_segment_profiles as profiles on crosstab.rfm_segment = profiles.rfm_segment
order by crosstab.segment_id, profiles.display_order;

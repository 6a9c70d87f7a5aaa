-- History page data: the kept runs, segment sizes per run, where customers moved between the
-- last two runs, and how the current segments got their ids. Aggregates only: the assignment
-- history is counted per run and segment, never listed per customer.

-- name: runs
-- One row per kept build, oldest first; run_number counts them from 1.
select
    built_at,
    segmentation_mode,
    model_version,
    as_of_date,
    k,
    k_rule,
    customers_fitted,
    silhouette,
    previous_model_version,
    row_number() over (order by built_at, run_id) as run_number
from segment_model_runs
order by run_number;

-- name: sizes
-- Customers per segment in every kept run, with the segment's share of that run's customers.
with runs as (
    select
        run_id,
        row_number() over (order by built_at, run_id) as run_number
    from segment_model_runs
),

counts as (
    select
        run_id,
        segment_id,
        segment_name,
        count(*) as n_customers
    from segment_assignment_history
    group by run_id, segment_id, segment_name
)

select
    runs.run_number,
    counts.segment_id,
    counts.segment_name,
    counts.n_customers,
    counts.n_customers / sum(counts.n_customers) over (partition by counts.run_id) as customer_share
from counts
inner join runs on counts.run_id = runs.run_id
order by runs.run_number, counts.segment_id;

-- name: migrations
-- From-segment x to-segment counts between the last two runs (empty with a single run);
-- customers new since have no from-segment, customers gone since no to-segment.
select
    from_model_version,
    to_model_version,
    from_segment_id,
    from_segment_name,
    to_segment_id,
    to_segment_name,
    is_new_customer,
    is_gone_customer,
    customers,
    share_of_from_segment,
    share_of_customers
from segment_migrations
order by from_segment_id asc nulls last, to_segment_id asc nulls last;

-- name: matches
-- How each current segment got its id: the earlier segment it continues, and how close.
select
    segment_id,
    segment_name,
    generated_name,
    previous_model_version,
    previous_segment_id,
    match_distance,
    match_max_distance,
    is_new_segment
from segment_matches
order by segment_id;

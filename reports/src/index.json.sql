-- Overview page data. Each `-- name:` block is one query; the page reads its rows as
-- data.<name>. Runs read-only against the dbt marts at build time (see reports/README).

-- name: headline
with segmented as (
    select
        count(*) as customers,
        count(distinct segment_id) as segments,
        max(as_of_date) as as_of_date,
        any_value(model_version) as model_version
    from customer_segments
),

-- The model's settings: the current run is the latest build in segment_model_runs.
latest_run as (
    select
        k,
        k_rule,
        scaler
    from segment_model_runs
    order by built_at desc
    limit 1
),

run as (
    select
        segmented.customers,
        segmented.segments,
        latest_run.k,
        latest_run.k_rule,
        segmented.as_of_date,
        latest_run.scaler,
        segmented.model_version
    from segmented
    left join latest_run on true
),

chosen as (
    select
        silhouette,
        chosen_because
    from segment_model_selection
    where is_chosen
),

orders as (
    -- the start of the order history behind frequency (it ends at as_of_date)
    select cast(min(first_order_at) as date) as first_order_date
    from customers
    where customer_id in (select customer_id from customer_segments)
)

select
    run.*,
    chosen.silhouette,
    chosen.chosen_because,
    orders.first_order_date
from run
left join chosen on true
left join orders on true;

-- name: settings
select currency from report_settings;

-- name: profiles
select *
from segment_profiles
order by segment_id;

-- name: mix
-- Gender and card-type mix of each segment (customers with a value only), as shares.
with members as (
    select
        customer_segments.segment_id,
        customers.gender,
        customers.card_type
    from customer_segments
    inner join customers on customer_segments.customer_id = customers.customer_id
),

long as (
    unpivot (
        select
            segment_id,
            cast(columns(lambda c: c in ('gender', 'card_type')) as varchar)
        from members
    )
    on columns(* exclude (segment_id)) into name dimension value category
)

select
    segment_id,
    dimension,
    category,
    count(*) as n,
    count(*) / sum(count(*)) over (partition by segment_id, dimension) as share
from long
group by segment_id, dimension, category
order by segment_id asc, dimension asc, n desc, category asc;

-- name: centroids
-- The segment centroids as z-scores against all customers, one row per segment and feature.
-- The name is segment_profiles' (a business name when marketing chose one); the model store
-- keeps generated names.
select
    centroids.segment_id,
    profiles.segment_name,
    centroids.feature_name,
    centroids.feature_position,
    centroids.z_score,
    centroids.original_value,
    centroids.overall_mean
from segment_centroids as centroids
inner join segment_profiles as profiles on centroids.segment_id = profiles.segment_id
-- the model store keeps earlier models too: the current one assigned customer_segments
where centroids.model_version = (select any_value(model_version) from customer_segments)
order by centroids.segment_id, centroids.feature_position;

-- name: feature_definitions
-- The feature registry: each feature's label, description and format (components/format.js).
select * from feature_definitions
order by feature_position;

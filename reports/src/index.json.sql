-- Overview page data. Each `-- name:` block is one query; the page reads its rows as
-- data.<name>. Runs read-only against the dbt marts at build time (see reports/README).

-- name: headline
with run as (
    select
        count(*) as customers,
        count(distinct segment_id) as segments,
        any_value(k) as k,
        any_value(k_rule) as k_rule,
        max(as_of_date) as as_of_date,
        any_value(scaler) as scaler,
        any_value(model_version) as model_version
    from customer_segments
),

chosen as (
    select silhouette, chosen_because
    from segment_model_selection
    where is_chosen
)

select run.*, chosen.silhouette, chosen.chosen_because
from run
left join chosen on true;

-- name: profiles
select *
from segment_profiles
order by segment_id;

-- name: centroids
-- The segment centroids as z-scores against all customers, one row per segment and feature.
select segment_id, segment_name, feature_name, feature_position, z_score, original_value, overall_mean
from segment_centroids
order by segment_id, feature_position;

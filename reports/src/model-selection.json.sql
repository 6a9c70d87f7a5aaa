-- Model selection page data: the k sweep behind the segmentation.

-- name: sweep
-- One row per k tried: the four scores, the sample sizes, and which k won.
select
    k, inertia, silhouette, davies_bouldin, calinski_harabasz,
    sample_size, silhouette_sample_size,
    is_elbow, is_best_silhouette, is_chosen, chosen_by_rule, chosen_because
from segment_model_selection
order by k;

-- name: run
-- The settings of the run that produced the segments.
select
    any_value(k) as k,
    any_value(k_rule) as k_rule,
    any_value(random_seed) as random_seed,
    any_value(array_to_string(segment_features, ', ')) as segment_features,
    any_value(scaler) as scaler,
    -- The features log_features gave a signed log1p before scaling (none: null).
    (
        select string_agg(feature_name, ', ' order by feature_position)
        from feature_scaling
        where
            transform = 'log1p'
            and model_version = (select any_value(model_version) from customer_segments)
    ) as logged_features,
    max(as_of_date) as as_of_date,
    count(*) as n_customers,
    any_value(model_version) as model_version
from customer_segments;

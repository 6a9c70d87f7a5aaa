-- Model selection page data: the k sweep behind the segmentation.

-- name: sweep
-- One row per k tried: the four scores, the sample sizes, and which k won.
select
    k,
    inertia,
    silhouette,
    davies_bouldin,
    calinski_harabasz,
    bic,
    sample_size,
    silhouette_sample_size,
    is_elbow,
    is_best_silhouette,
    is_chosen,
    chosen_by_rule,
    chosen_because
from segment_model_selection
order by k;

-- name: run
-- The settings of the run that produced the segments: the latest build in segment_model_runs.
with latest_run as (
    select
        k,
        k_rule,
        random_seed,
        segment_features,
        scaler,
        model_version,
        segmentation_algorithm
    from segment_model_runs
    order by built_at desc
    limit 1
),

segmented as (
    select
        max(as_of_date) as as_of_date,
        count(*) as n_customers
    from customer_segments
)

select
    latest_run.k,
    latest_run.k_rule,
    latest_run.segmentation_algorithm,
    latest_run.random_seed,
    array_to_string(latest_run.segment_features, ', ') as segment_features,
    latest_run.scaler,
    -- The features log_features gave a signed log1p before scaling (none: null).
    (
        select string_agg(feature_scaling.feature_name, ', ' order by feature_scaling.feature_position)
        from feature_scaling
        where
            feature_scaling.transform = 'log1p'
            and feature_scaling.model_version = latest_run.model_version
    ) as logged_features,
    segmented.as_of_date,
    segmented.n_customers,
    latest_run.model_version
from latest_run
cross join segmented;

-- name: algorithms
-- K-Means next to Ward, a Gaussian mixture and DBSCAN on the same scaled customers (aggregates only).
select
    algorithm,
    n_clusters,
    silhouette,
    davies_bouldin,
    calinski_harabasz,
    noise_share,
    adjusted_rand_vs_kmeans,
    sample_size,
    parameters,
    is_assigning,
    note
from segment_algorithm_comparison
order by case algorithm when 'kmeans' then 1 when 'agglomerative' then 2 when 'gmm' then 3 else 4 end;

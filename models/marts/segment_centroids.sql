-- The model store's centroids: one row per model_version, segment and feature, in scaled units
-- and in original units, with the z-score against all customers that the segment name is read
-- from. Kept across builds (delete+insert by model_version), for every model_version of a run
-- kept in segment_model_runs: what the next retrain matches its segments against
-- (customer_segmentation.previous_run) and what scoring reads. The current model is
-- customer_segments.model_version.
-- depends_on: {{ ref('segment_model_runs') }}
{{ config(
    materialized='incremental',
    unique_key='model_version',
    incremental_strategy='delete+insert',
    post_hook=[
        "{{ keep_kept_runs_models(this) }}",
        "{{ fill_kmeans_mixture_columns(this) }}",
    ],
) }}

with

fitted_model as (

    select * from {{ ref('int_segment_models_fitted') }}

),

centroids as (

    select
        fitted_model.model_version,
        unnest(fitted_model.centroids) as centroid
    from fitted_model

),

segments as (

    select unnest(fitted_model.segments) as segment
    from fitted_model

),

final as (

    select
        centroids.centroid.segment_id,
        centroids.centroid.segment_name,
        centroids.centroid.feature_name,
        centroids.centroid.feature_position,
        centroids.centroid.scaled_value,
        centroids.centroid.original_value,
        centroids.centroid.overall_mean,
        centroids.centroid.overall_std,
        centroids.centroid.z_score,
        centroids.centroid.variance,
        centroids.centroid.mixture_weight,
        segments.segment.n_customers as segment_customers,
        centroids.model_version
    from centroids
    inner join segments
        on centroids.centroid.segment_id = segments.segment.segment_id

)

select * from final

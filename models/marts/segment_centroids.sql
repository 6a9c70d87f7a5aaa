-- The fitted centroids as data: one row per segment and feature, in scaled units and in
-- original units, with the z-score against all customers that the segment name is read from.

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

final as (

    select
        centroid.segment_id,
        centroid.segment_name,
        centroid.feature_name,
        centroid.feature_position,
        centroid.scaled_value,
        centroid.original_value,
        centroid.overall_mean,
        centroid.overall_std,
        centroid.z_score,
        centroids.model_version
    from centroids

)

select * from final

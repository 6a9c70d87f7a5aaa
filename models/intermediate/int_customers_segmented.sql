-- Every customer with a value for each of the model's features, assigned to the most likely
-- segment (the nearest centroid, but for segmentation_algorithm gmm) of the model that
-- int_segment_models_fitted holds (the fit of this build, or the stored model in score mode),
-- in SQL from the model store: macros/scoring/nearest_segment.sql.
-- The others are in customers_not_segmented. The segment's name is the one int_segment_names
-- shows (a business name when marketing chose one).
-- depends_on: {{ ref('int_segment_models_fitted') }}

with

scored as (

    {{ nearest_segment(
        ref('int_customers_features_joined'), ref('feature_scaling'), ref('segment_centroids'), fitted_model_version()
    ) }}

),

segment_names as (

    select * from {{ ref('int_segment_names') }}

),

final as (

    select
        scored.customer_id,
        scored.segment_id,
        segment_names.segment_name,
        scored.distance_to_centroid
    from scored
    inner join segment_names
        on scored.segment_id = segment_names.segment_id

)

select * from final

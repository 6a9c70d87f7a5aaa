-- Every customer with a value for each of the model's features, assigned to the most likely
-- segment (the nearest centroid, but for segmentation_algorithm gmm) of the model that
-- int_segment_models_fitted holds (the fit of this build, or the stored model in score mode),
-- in SQL from the model store: macros/scoring/nearest_segment.sql.
-- The others are in customers_not_segmented.
-- depends_on: {{ ref('int_segment_models_fitted') }}

{{ nearest_segment(
    ref('int_customers_features_joined'), ref('feature_scaling'), ref('segment_centroids'), fitted_model_version()
) }}

-- One row per clean customer: the segment, the distance to its centroid, the candidate
-- features and the model that assigned it. What that model is (k, its rule, the features it
-- used, scaler, seed) is in segment_model_runs under the same model_version, not repeated here.
-- The features are those of the registry (seeds/feature_registry.csv), in its order.

with

segmented as (

    select * from {{ ref('int_customers_segmented') }}

),

features as (

    select * from {{ ref('int_customers_features_joined') }}

),

fitted_model as (

    select * from {{ ref('int_segment_models_fitted') }}

),

final as (

    select
        features.customer_id,
        segmented.segment_id,
        segmented.segment_name,
        segmented.distance_to_centroid,
        {%- for feature in feature_names() %}
            features.{{ feature }},
        {%- endfor %}
        features.as_of_date,
        fitted_model.model_version
    from features
    inner join segmented
        on features.customer_id = segmented.customer_id
    cross join fitted_model

)

select * from final

-- One row per clean customer the segmentation left out: a selected feature has no value for
-- them. The reason is that of their first missing feature in segment_features order; every
-- missing selected feature is listed. Segmented plus not segmented is every clean customer
-- (tested on segment_profiles).

with

features as (

    select * from {{ ref('int_customers_features_joined') }}

),

segmented as (

    select * from {{ ref('int_customers_segmented') }}

),

missing as (

    select * from {{ ref('int_customers_features_missing') }}

),

fitted_model as (

    select * from {{ ref('int_segment_models_fitted') }}

),

missing_selected as (

    select
        missing.customer_id,
        missing.feature_name,
        missing.reason,
        list_position(fitted_model.segment_features, missing.feature_name) as feature_position
    from missing
    cross join fitted_model
    where list_contains(fitted_model.segment_features, missing.feature_name)

),

reasons as (

    select
        customer_id,
        arg_min(reason, feature_position) as reason,
        list(feature_name order by feature_position) as missing_features
    from missing_selected
    group by customer_id

),

not_segmented as (

    select features.customer_id
    from features
    anti join segmented
        on features.customer_id = segmented.customer_id

),

final as (

    select
        not_segmented.customer_id,
        reasons.reason,
        reasons.missing_features,
        fitted_model.segment_features,
        fitted_model.as_of_date,
        fitted_model.model_version
    from not_segmented
    cross join fitted_model
    left join reasons
        on not_segmented.customer_id = reasons.customer_id

)

select * from final

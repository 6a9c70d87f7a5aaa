-- One row per clean customer the segmentation left out: one who signed up on or after
-- as_of_date (not yet a customer then, so not in the feature table), or one a selected feature
-- has no value for. The latter's reason is that of their first missing feature in
-- segment_features order; every missing selected feature is listed. Segmented plus not
-- segmented is every clean customer (tested on segment_profiles).

with

rfm as (

    select * from {{ ref('int_customers_rfm_scored') }}

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

    select
        rfm.customer_id,
        rfm.is_signed_up_after_as_of_date
    from rfm
    anti join segmented
        on rfm.customer_id = segmented.customer_id

),

final as (

    select
        not_segmented.customer_id,
        case
            when not_segmented.is_signed_up_after_as_of_date then 'signed_up_after_as_of_date'
            else reasons.reason
        end as reason,
        -- empty for a later signup: the customer has no feature row at all
        coalesce(reasons.missing_features, cast([] as varchar[])) as missing_features,
        fitted_model.segment_features,
        fitted_model.as_of_date,
        fitted_model.model_version
    from not_segmented
    cross join fitted_model
    left join reasons
        on not_segmented.customer_id = reasons.customer_id

)

select * from final

-- One row per clean customer and candidate feature that the customer has no value for, while
-- other customers do, with the reason: the customers the segmentation leaves out when that
-- feature is selected (customers_not_segmented keeps the selected ones). A feature with no value
-- at all is absent from the input, not missing for a customer (int_customers_features_summarized
-- says why), so it has no rows here.
-- recency_days and tenure_days count from the last purchase or the signup date: they are null
-- only for a customer with neither. Any other gap is missing_<feature>.

with

features as (

    select * from {{ ref('int_customers_features_joined') }}

),

wide as (

    select
        customer_id,
        columns(* exclude (customer_id, as_of_date))::double
    from features

),

long as (

    select
        customer_id,
        feature_name,
        feature_value
    from wide
    unpivot include nulls (feature_value for feature_name in (columns(* exclude customer_id)))

),

counted as (

    select
        customer_id,
        feature_name,
        feature_value,
        count(feature_value) over (partition by feature_name) as n_values
    from long

),

final as (

    select
        customer_id,
        feature_name,
        case
            when feature_name in ('recency_days', 'tenure_days') then 'no_orders_and_no_signup_date'
            else 'missing_' || feature_name
        end as reason
    from counted
    where feature_value is null and n_values > 0

)

select * from final

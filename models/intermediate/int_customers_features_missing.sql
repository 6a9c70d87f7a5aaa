-- One row per clean customer and candidate feature that the customer has no value for, while
-- other customers do, with the reason: the customers the segmentation leaves out when that
-- feature is selected (customers_not_segmented keeps the selected ones). A feature with no value
-- at all is absent from the input, not missing for a customer (int_customers_features_summarized
-- says why), so it has no rows here.
-- The reason is the feature's missing_reason in the registry (seeds/feature_registry.csv):
-- recency_days and tenure_days count from the last purchase or the signup date, so they are
-- null only for a customer with neither (no_orders_and_no_signup_date); any other gap is
-- missing_<feature>. A column without a registry row gets no reason, which its test catches.

with

features as (

    select * from {{ ref('int_customers_features_joined') }}

),

registry as (

    select * from {{ ref('feature_registry') }}

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
        counted.customer_id,
        counted.feature_name,
        registry.missing_reason as reason
    from counted
    left join registry
        on counted.feature_name = registry.feature_name
    where counted.feature_value is null and counted.n_values > 0

)

select * from final

-- One row per build, appended: a training run (segmentation_mode train) or a scoring run that
-- assigned customers with a stored model (score: its model columns are the stored model's). The copy-and-swap of
-- scripts/dbt_build.py starts each build from a copy of the previous database, so earlier runs
-- stay, and a failed build leaves them as they were. The history_max_runs var caps how many
-- runs are kept (the post-hook deletes the oldest). Runs kept from before segmentation_algorithm
-- existed were K-Means: the second hook says so in the column an upgrade added empty.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    post_hook=[
        "{{ keep_latest_runs(this) }}",
        "update {{ this }} set segmentation_algorithm = 'kmeans' where segmentation_algorithm is null",
    ],
) }}

with

fitted_model as (

    select * from {{ ref('int_segment_models_fitted') }}

),

features as (

    select * from {{ ref('int_customers_features_joined') }}

),

features_fingerprint as (

    -- Order-independent: a DuckDB hash of every customer's feature row, combined with xor.
    select
        bit_xor(hash(features)) as features_fingerprint,
        count(*) as customers_with_features
    from features

),

final as (

    select
        {{ run_id() }} as run_id,
        {{ run_built_at() }} as built_at,
        fitted_model.segmentation_mode,
        fitted_model.segmentation_algorithm,
        fitted_model.model_version,
        fitted_model.trained_at,
        fitted_model.previous_model_version,
        fitted_model.as_of_date,
        fitted_model.segment_features,
        fitted_model.scaler,
        fitted_model.log_features,
        fitted_model.k,
        fitted_model.k_rule,
        fitted_model.k_rule_explanation,
        fitted_model.elbow_k,
        fitted_model.best_silhouette_k,
        fitted_model.input_shape,
        fitted_model.skew_threshold,
        fitted_model.k_min,
        fitted_model.k_max,
        fitted_model.n_clusters_var,
        fitted_model.silhouette_sample_size,
        fitted_model.fit_sample_threshold,
        fitted_model.random_seed,
        fitted_model.n_init,
        fitted_model.n_customers as customers_fitted,
        fitted_model.n_customers_not_segmented as customers_not_segmented,
        fitted_model.inertia,
        fitted_model.silhouette,
        {{ sql_string(input_label('customers')) }} as customers_input,
        {{ sql_string(input_label('orders')) }} as orders_input,
        cast(features_fingerprint.features_fingerprint as varchar) as features_fingerprint,
        features_fingerprint.customers_with_features
    from fitted_model
    cross join features_fingerprint

)

select * from final

-- Every segmented customer of every kept run, appended per build (see segment_model_runs for
-- how earlier runs survive and how many are kept): what segment_migrations compares.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    post_hook="{{ keep_latest_runs(this) }}",
) }}

with

segmented as (

    select * from {{ ref('int_customers_segmented') }}

),

fitted_model as (

    select * from {{ ref('int_segment_models_fitted') }}

),

final as (

    select
        {{ run_id() }} as run_id,
        {{ run_built_at() }} as built_at,
        fitted_model.model_version,
        segmented.customer_id,
        segmented.segment_id,
        segmented.segment_name,
        segmented.distance_to_centroid
    from segmented
    cross join fitted_model

)

select * from final

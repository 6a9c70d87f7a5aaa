-- The model store's scalers: one row per model_version and feature, scaled = (f(x) - center) /
-- scale, where f is a signed log1p when transform = 'log1p' and the identity otherwise. Kept
-- across builds like segment_centroids (see there).
-- depends_on: {{ ref('segment_model_runs') }}
{{ config(
    materialized='incremental',
    unique_key='model_version',
    incremental_strategy='delete+insert',
    post_hook="{{ keep_kept_runs_models(this) }}",
) }}

with

fitted_model as (

    select * from {{ ref('int_segment_models_fitted') }}

),

scaling as (

    select
        fitted_model.model_version,
        unnest(fitted_model.scaling) as parameter
    from fitted_model

),

final as (

    select
        parameter.feature_name,
        parameter.feature_position,
        parameter.scaler,
        parameter.transform,
        parameter.skewness,
        parameter.center,
        parameter.scale,
        scaling.model_version
    from scaling

)

select * from final

-- The fitted scaler as data: scaled = (f(x) - center) / scale, where f is a signed log1p
-- when transform = 'log1p' and the identity otherwise.

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

-- Each segment of the current model with the name the pages show: the business name from
-- seeds/segment_name_overrides.csv when marketing chose one, else the generated name. Names
-- enter the SQL models here (int_customers_segmented joins it), so every mart shows the
-- business name; the model store (segment_centroids, segment_matches) keeps generated names,
-- and model_version never depends on an override.

with

fitted_model as (

    select * from {{ ref('int_segment_models_fitted') }}

),

overrides as (

    select * from {{ ref('segment_name_overrides') }}

),

segments as (

    select unnest(fitted_model.segments) as segment
    from fitted_model

),

renamed as (

    select
        segment.segment_id,
        segment.segment_name as generated_segment_name
    from segments

),

final as (

    select
        renamed.segment_id,
        coalesce(nullif(trim(overrides.segment_name), ''), renamed.generated_segment_name) as segment_name,
        renamed.generated_segment_name,
        nullif(trim(overrides.segment_name), '') is not null as has_business_name
    from renamed
    left join overrides
        on renamed.segment_id = overrides.segment_id

)

select * from final

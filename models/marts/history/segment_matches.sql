-- How the current model's segments got their ids: each segment, the previous run's segment it
-- was matched to (one to one, by centroid distance in the new scaled units), and that distance.
-- A segment with no partner within segment_match_max_distance is new and gets a new id.

with

fitted_model as (

    select * from {{ ref('int_segment_models_fitted') }}

),

segments as (

    select
        fitted_model.model_version,
        fitted_model.previous_model_version,
        unnest(fitted_model.segments) as segment
    from fitted_model

),

final as (

    select
        segments.model_version,
        segments.segment.segment_id,
        segments.segment.segment_name,
        segments.segment.generated_name,
        segments.previous_model_version,
        segments.segment.previous_segment_id,
        segments.segment.match_distance,
        cast({{ validated_var('segment_match_max_distance') }} as double) as match_max_distance,
        segments.segment.previous_segment_id is null as is_new_segment
    from segments

)

select * from final

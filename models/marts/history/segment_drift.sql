-- How far this build's customers have moved from the data the current model was trained on
-- (model_reference_bins), per measure: for each model feature the population stability index
-- (PSI) over the training bins, and for the distance to the centroid the share of customers
-- farther from their segment's centre than 99% of the training customers were. After a
-- training build the current data is the training data: its counts are the reference's own
-- (PSI 0), so the customers are not unpivoted a second time. In score mode it is what says whether
-- the stored model still fits. README "Scoring new customers" gives the thresholds.
-- depends_on: {{ ref('int_customers_features_joined') }}
-- depends_on: {{ ref('int_customers_segmented') }}

with

fitted_model as (

    select * from {{ ref('int_segment_models_fitted') }}

),

reference as (

    select reference_bins.*
    from {{ ref('model_reference_bins') }} as reference_bins
    inner join fitted_model
        on reference_bins.model_version = fitted_model.model_version

),

{%- if validated_var('segmentation_mode') == 'score' %}

    edges as (

        select
            measure_name,
            list(upper_edge order by bin_number) filter (where upper_edge is not null) as bin_edges
        from reference
        group by measure_name

    ),

    measure_values as (

        {{ drift_measure_values(ref('int_segment_models_fitted'), ref('int_customers_features_joined'),
            ref('int_customers_segmented')) }}

    ),

    current_counts as (

        select
            measure_values.measure_name,
            {{ drift_bin('measure_values.measure_value', 'edges.bin_edges') }} as bin_number,
            count(*) as current_customers
        from measure_values
        inner join edges
            on measure_values.measure_name = edges.measure_name
        group by all

    ),

{%- else %}

    current_counts as (

        select
            measure_name,
            bin_number,
            reference_customers as current_customers
        from reference

    ),

{%- endif %}

compared as (

    select
        reference.measure_name,
        reference.bin_number,
        reference.upper_edge,
        reference.reference_share,
        coalesce(current_counts.current_customers, 0)
        / sum(coalesce(current_counts.current_customers, 0)) over (partition by reference.measure_name)
            as current_share
    from reference
    left join current_counts
        on
            reference.measure_name = current_counts.measure_name
            and reference.bin_number = current_counts.bin_number

),

measures as (

    select
        measure_name,
        -- shares floored at 0.0001 so that an empty bin does not make the index infinite
        sum(
            (greatest(current_share, 0.0001) - greatest(reference_share, 0.0001))
            * ln(greatest(current_share, 0.0001) / greatest(reference_share, 0.0001))
        ) as population_stability_index,
        -- the last distance bin starts at the training 99th percentile
        max(current_share) filter (where upper_edge is null) as current_share_beyond_reference,
        max(reference_share) filter (where upper_edge is null) as reference_share_beyond_reference
    from compared
    group by measure_name

),

final as (

    select
        fitted_model.model_version,
        fitted_model.segmentation_mode,
        measures.measure_name,
        measures.measure_name = 'distance_to_centroid' as is_distance,
        case when measures.measure_name != 'distance_to_centroid' then measures.population_stability_index end
            as population_stability_index,
        case when measures.measure_name = 'distance_to_centroid' then measures.current_share_beyond_reference end
            as share_beyond_p99_distance,
        case
            when measures.measure_name = 'distance_to_centroid'
                then
                    case
                        when measures.current_share_beyond_reference > {{ validated_var('drift_far_share_threshold') }}
                            then 'drifted'
                        else 'stable'
                    end
            when measures.population_stability_index > {{ validated_var('drift_psi_threshold') }} then 'drifted'
            else 'stable'
        end as drift_status
    from measures
    cross join fitted_model

)

select * from final

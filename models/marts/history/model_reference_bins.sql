-- The model store's reference distributions, what score-mode drift is measured against: for each
-- trained model, the training customers' shares in bins of each model feature (deciles, ties
-- merged) and of the distance to the centroid (below and from its 99th percentile). Written by
-- training builds only (delete+insert by model_version), kept for the runs in segment_model_runs.
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

measure_values as (

    {{ drift_measure_values(ref('int_segment_models_fitted'), ref('int_customers_features_joined'),
        ref('int_customers_segmented')) }}

),

edges as (

    select
        measure_name,
        case
            when measure_name = 'distance_to_centroid'
                then [quantile_cont(measure_value, 0.99)]
            else list_sort(list_distinct(quantile_cont(measure_value, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])))
        end as bin_edges
    from measure_values
    group by measure_name

),

binned as (

    select
        measure_values.measure_name,
        {{ drift_bin('measure_values.measure_value', 'edges.bin_edges') }} as bin_number,
        count(*) as reference_customers
    from measure_values
    inner join edges
        on measure_values.measure_name = edges.measure_name
    group by all

),

bins as (

    select
        edges.measure_name,
        edges.bin_edges,
        bin_numbers.bin_number
    from edges
    cross join unnest(range(1, len(edges.bin_edges) + 2)) as bin_numbers (bin_number)

),

final as (

    select
        fitted_model.model_version,
        bins.measure_name,
        bins.bin_number,
        -- null: open-ended
        case when bins.bin_number > 1 then bins.bin_edges[bins.bin_number - 1] end as lower_edge,
        case when bins.bin_number <= len(bins.bin_edges) then bins.bin_edges[bins.bin_number] end as upper_edge,
        coalesce(binned.reference_customers, 0) as reference_customers,
        coalesce(binned.reference_customers, 0)
        / sum(coalesce(binned.reference_customers, 0)) over (partition by bins.measure_name) as reference_share
    from bins
    left join binned
        on
            bins.measure_name = binned.measure_name
            and bins.bin_number = binned.bin_number
    cross join fitted_model
    -- a scoring build keeps the reference of the model it scores with
    where fitted_model.segmentation_mode = 'train'

)

select * from final

{#- What drift is measured on: (customer_id, measure_name, measure_value) rows, one per segmented
    customer and measure. The measures are each feature of the model (segment_features of the
    one-row fitted_model relation, read from the registry's candidates) and the customer's
    distance_to_centroid. Used for the training reference (model_reference_bins) and for the
    current build (segment_drift), so both measure the same thing. -#}
{% macro drift_measure_values(fitted_model, features, segmented) %}
    {%- set candidates = feature_names() -%}
    select
        long_values.customer_id,
        long_values.measure_name,
        long_values.measure_value
    from (
        unpivot (
            select
                features.customer_id,
                {%- for name in candidates %}
                    cast(features.{{ name }} as double) as {{ name }}{{ "," if not loop.last }}
                {%- endfor %}
            from {{ features }} as features
            inner join {{ segmented }} as segmented
                on features.customer_id = segmented.customer_id
        )
        on {{ candidates | join(', ') if candidates else 'customer_id' }}
        into name measure_name value measure_value
    ) as long_values
    cross join {{ fitted_model }} as fitted_model
    where list_contains(fitted_model.segment_features, long_values.measure_name)

    union all

    select
        segmented.customer_id,
        'distance_to_centroid' as measure_name,
        segmented.distance_to_centroid as measure_value
    from {{ segmented }} as segmented
{%- endmacro %}


{#- The 1-based bin of a value among sorted edges: bin i holds values from edge i - 1 (inclusive)
    to edge i (exclusive), the first bin everything below the first edge. -#}
{% macro drift_bin(value, edges) -%}
    (len(list_filter({{ edges }}, lambda edge: edge <= {{ value }})) + 1)
{%- endmacro %}

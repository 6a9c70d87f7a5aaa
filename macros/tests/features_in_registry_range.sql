{#- Every registered feature of the model (seeds/feature_registry.csv) holds values inside the
    registry's valid range, and a value wherever the registry says it cannot be null. Returns
    the offending feature values. -#}
{% test features_in_registry_range(model) %}

with

typed as (

    select
        {%- for feature in feature_names() %}
            cast({{ feature }} as double) as {{ feature }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ model }}

),

long as (

    select
        feature_name,
        feature_value
    from typed
    unpivot include nulls (feature_value for feature_name in (columns(*)))

),

registry as (

    select * from {{ ref('feature_registry') }}

)

select
    long.feature_name,
    long.feature_value
from long
inner join registry
    on long.feature_name = registry.feature_name
where
    long.feature_value < registry.min_value
    or long.feature_value > registry.max_value
    or (long.feature_value is null and not registry.nullable)

{% endtest %}

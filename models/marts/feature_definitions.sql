-- The feature registry (seeds/feature_registry.csv) as the report site reads it: one row per
-- candidate feature with its position in the registry, label, description, unit, valid range
-- and display format. The pages format and label every feature from this table.

with

registry as (

    select * from {{ ref('feature_registry') }}

),

-- the order of the file, as the compile-time read of the registry gives it (a table has
-- none), and the column of the feature's average in segment_profiles
positions as (

    select
        listed.feature_name,
        listed.feature_position,
        listed.profile_column
    from (
        values
        {%- for feature in feature_names() %}
            ('{{ feature }}', {{ loop.index }}, '{{ profile_average_column(feature) }}'){{ ',' if not loop.last }}
        {%- endfor %}
    ) as listed (feature_name, feature_position, profile_column)

),

final as (

    select
        registry.feature_name,
        cast(positions.feature_position as bigint) as feature_position,
        positions.profile_column,
        registry.label,
        registry.description,
        registry.unit,
        registry.input,
        registry.log_kind,
        registry.min_value,
        registry.max_value,
        registry.nullable,
        registry.display_format,
        registry.display_digits,
        registry.summary_below,
        registry.summary_above
    from registry
    inner join positions
        on registry.feature_name = positions.feature_name

)

select * from final

-- The feature registry (seeds/feature_registry.csv) as the report site reads it: one row per
-- candidate feature with its position in the registry, label, description, unit, valid range
-- and display format. The pages format and label every feature from this table.

with

registry as (

    select * from {{ ref('feature_registry') }}

),

-- the order of the file, as the compile-time read of the registry gives it (a table has none)
positions as (

    select
        unnest({{ feature_names() | list }}) as feature_name,
        generate_subscripts({{ feature_names() | list }}, 1) as feature_position

),

final as (

    select
        registry.feature_name,
        positions.feature_position,
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

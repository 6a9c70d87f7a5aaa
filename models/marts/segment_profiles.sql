-- What each segment looks like: size and share of customers, net revenue and share of revenue,
-- the average of every registered feature in original units, plus the most common gender and
-- card type (ties go to the alphabetically first value). Net revenue is the sum of the members'
-- monetary_total: their order amounts before as_of_date, net of refunds.
-- The averages follow the feature registry (seeds/feature_registry.csv): avg_<feature>, rounded
-- to the feature's average_digits; a feature already named as an average (avg_order_value)
-- keeps its name. segment_name is the business name when marketing chose one
-- (seeds/segment_name_overrides.csv); generated_segment_name is the model's own.

with

segments as (

    select * from {{ ref('customer_segments') }}

),

customers as (

    select * from {{ ref('customers') }}

),

segment_customers as (

    select
        segments.*,
        customers.gender,
        customers.card_type
    from segments
    inner join customers
        on segments.customer_id = customers.customer_id

),

segment_names as (

    select * from {{ ref('int_segment_names') }}

),

top_genders as (

    {{ most_common_value('segment_customers', 'segment_id', 'gender') }}

),

top_card_types as (

    {{ most_common_value('segment_customers', 'segment_id', 'card_type') }}

),

aggregated as (

    select
        segment_id,
        segment_name,
        count(*) as n_customers,
        {%- for feature in feature_registry() %}
            avg({{ feature.feature_name }}) as {{ profile_average_column(feature.feature_name) }},
        {%- endfor %}
        -- null, not 0, when no member has orders (a demographics-only input)
        sum(monetary_total) as net_revenue,
        avg(distance_to_centroid) as avg_distance_to_centroid
    from segment_customers
    group by segment_id, segment_name

),

final as (

    select
        aggregated.segment_id,
        aggregated.segment_name,
        segment_names.generated_segment_name,
        aggregated.n_customers,
        aggregated.n_customers / sum(aggregated.n_customers) over () as customer_share,
        aggregated.net_revenue,
        cast(aggregated.net_revenue / nullif(sum(aggregated.net_revenue) over (), 0) as double) as revenue_share,
        {%- for feature in feature_registry() %}
            {%- set column = profile_average_column(feature.feature_name) %}
            round(aggregated.{{ column }}, {{ feature.average_digits }}) as {{ column }},
        {%- endfor %}
        round(aggregated.avg_distance_to_centroid, 3) as avg_distance_to_centroid,
        top_genders.gender as top_gender,
        top_card_types.card_type as top_card_type
    from aggregated
    left join segment_names
        on aggregated.segment_id = segment_names.segment_id
    left join top_genders
        on aggregated.segment_id = top_genders.segment_id
    left join top_card_types
        on aggregated.segment_id = top_card_types.segment_id

)

select * from final

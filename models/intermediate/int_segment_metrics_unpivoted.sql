-- Every metric the action rules (seeds/segment_action_conditions.csv) can test, one row per
-- segment and metric: the z-score of every registered feature (z_<feature>, from the current
-- model's centroids; null for a feature the model does not use), the average discount share,
-- the shares of customers and revenue, value_index, the top category lift (the largest lift
-- in segment_product_categories) and the RFM mix: rfm_<rfm segment>_share, the share of the
-- segment's scored customers in each named RFM segment of seeds/rfm_segments.csv (lowercase,
-- non-alphanumerics as _, e.g. rfm_at_risk_share; null with no orders, when nobody is scored).
-- value_text is how a reason quotes the value.

with

fitted_model as (

    select * from {{ ref('int_segment_models_fitted') }}

),

centroids as (

    select * from {{ ref('segment_centroids') }}

),

profiles as (

    select * from {{ ref('segment_profiles') }}

),

value_tiers as (

    select * from {{ ref('segment_value_tiers') }}

),

categories as (

    select * from {{ ref('segment_product_categories') }}

),

rfm_crosstab as (

    select * from {{ ref('segment_rfm_crosstab') }}

),

rfm_segment_map as (

    select * from {{ ref('rfm_segments') }}

),

registry_features as (

    select unnest([
        {%- for feature in feature_names() %}
            '{{ feature }}'{{ "," if not loop.last }}
        {%- endfor %}
    ]) as feature_name

),

current_centroids as (

    select centroids.*
    from centroids
    inner join fitted_model
        on centroids.model_version = fitted_model.model_version

),

z_scores as (

    select
        profiles.segment_id,
        'z_' || registry_features.feature_name as metric,
        'z_score' as metric_kind,
        current_centroids.z_score as value
    from profiles
    cross join registry_features
    left join current_centroids
        on
            profiles.segment_id = current_centroids.segment_id
            and registry_features.feature_name = current_centroids.feature_name

),

top_category_lifts as (

    select
        segment_id,
        max(lift) as top_category_lift
    from categories
    group by segment_id

),

segment_measures as (

    select
        value_tiers.segment_id,
        profiles.avg_discount_share as discount_share,
        value_tiers.customer_share,
        value_tiers.revenue_share,
        value_tiers.value_index,
        top_category_lifts.top_category_lift
    from value_tiers
    inner join profiles
        on value_tiers.segment_id = profiles.segment_id
    left join top_category_lifts
        on value_tiers.segment_id = top_category_lifts.segment_id

),

measures as (

    select
        segment_id,
        metric,
        case when metric like '%share' then 'share' else 'ratio' end as metric_kind,
        cast(value as double) as value
    -- include nulls: a metric this build cannot measure keeps its row (with no value)
    from segment_measures
    unpivot include nulls (
        value for metric in (discount_share, customer_share, revenue_share, value_index, top_category_lift)
    )

),

rfm_scoring as (

    select count(*) > 0 as has_rfm_scores
    from rfm_crosstab

),

-- every named RFM segment for every segment: 0 when none of its customers is in it
rfm_mix as (

    select
        profiles.segment_id,
        'rfm_' || trim(regexp_replace(lower(rfm_segment_map.rfm_segment), '[^a-z0-9]+', '_', 'g'), '_') || '_share'
            as metric,
        'share' as metric_kind,
        case when rfm_scoring.has_rfm_scores then coalesce(rfm_crosstab.share_of_segment, 0) end as value
    from profiles
    cross join rfm_segment_map
    cross join rfm_scoring
    left join rfm_crosstab
        on
            profiles.segment_id = rfm_crosstab.segment_id
            and rfm_segment_map.rfm_segment = rfm_crosstab.rfm_segment

),

unioned as (

    select * from z_scores
    union all by name
    select * from measures
    union all by name
    select * from rfm_mix

),

final as (

    select
        segment_id,
        metric,
        metric_kind,
        value,
        case
            when metric_kind = 'z_score' then substr(metric, 3) || ' z = ' || printf('%+.1f', value)
            when metric_kind = 'share' then metric || ' = ' || printf('%.1f%%', 100 * value)
            else metric || ' = ' || printf('%.2f', value)
        end as value_text
    from unioned

)

select * from final

-- One segment's page data; $segment is the segment id from the page's URL (/segments/3).
-- The numbers for all customers, shown beside these, are in everyone.json.sql.

-- name: profile
select *
from segment_profiles
where segment_id = $segment;

-- name: value
-- The segment's value tier: revenue share against customer share (segment_value_tiers).
select
    value_index,
    value_tier,
    value_tier_description,
    revenue_rank,
    count(*) over () as n_segments
from segment_value_tiers
qualify segment_id = $segment;

-- name: action
-- The marketing action of the first matching rule and why (segment_actions).
select
    rule_id,
    action,
    reason
from segment_actions
where segment_id = $segment;

-- name: features
-- Mean, quartiles and Tukey whiskers (1.5 IQR) of each numeric feature in this segment.
-- Features that are absent or all null in this build simply have no rows.
select
    feature_name as feature,
    n_customers as n,
    mean_value as mean,
    q1,
    median_value as median,
    q3,
    whisker_low,
    whisker_high
from segment_feature_distributions
where segment_id = $segment;

-- name: mix
-- Gender and card-type mix of the segment (customers with a value only).
with members as (
    select customers.*
    from customer_segments
    inner join customers on customer_segments.customer_id = customers.customer_id
    where customer_segments.segment_id = $segment
),

long as (
    unpivot (select cast(columns(lambda c: c in ('gender', 'card_type')) as varchar) from members)
    on columns(*) into name dimension value category
)

select
    dimension,
    category,
    count(*) as n,
    count(*) / sum(count(*)) over (partition by dimension) as share
from long
group by dimension, category
order by dimension asc, n desc;

-- name: categories
-- Product categories this segment buys more than customers overall (lift > 1), top 10.
select
    product_category,
    n_purchases,
    purchase_amount,
    segment_share,
    overall_share,
    lift
from segment_product_categories
where segment_id = $segment
order by lift desc, product_category asc
limit 10;

-- name: settings
select
    report_customer_rows,
    currency
from report_settings;

-- name: examples
-- The ten members closest to the segment's centre: typical customers, with their ids. These
-- are per-customer rows, so there are none unless the dbt var report_customer_rows is true
-- (report_settings): by default the site publishes aggregates only.
set variable feature_names = (select list(feature_name order by feature_position) from feature_definitions);
with members as (
    select
        customer_segments.*,
        customers.gender,
        customers.card_type,
        customers.region
    from customer_segments
    inner join customers on customer_segments.customer_id = customers.customer_id
    inner join report_settings on report_settings.report_customer_rows
    where customer_segments.segment_id = $segment
    order by customer_segments.distance_to_centroid, customer_segments.customer_id
    limit 10
)

-- The id is published as `customer`: the default site carries no customer_id field at all.
-- Every registered feature (feature_definitions) is shown.
select
    customer_id as customer,
    distance_to_centroid,
    columns(lambda c: list_contains(getvariable('feature_names'), c)),
    columns(lambda c: c in ('gender', 'card_type', 'region'))
from members
order by distance_to_centroid, customer;

-- All customers, for comparison on every segment page (computed once, not per segment).

-- name: features
-- Same statistics as `features` in [segment].json.sql, over every customer.
select
    feature_name as feature,
    n_customers as n,
    mean_value as mean,
    std_value as std,
    q1,
    median_value as median,
    q3,
    whisker_low,
    whisker_high
from segment_feature_distributions
where segment_id is null;

-- name: mix
with members as (
    select customers.*
    from customer_segments
    inner join customers on customer_segments.customer_id = customers.customer_id
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

-- name: totals
-- The order history behind frequency: from the segmented customers' earliest order to as_of_date.
select
    count(*) as n_customers,
    max(customer_segments.as_of_date) as as_of_date,
    cast(min(customers.first_order_at) as date) as first_order_date
from customer_segments
inner join customers on customer_segments.customer_id = customers.customer_id;

-- name: feature_definitions
-- The feature registry: each feature's label, description and format (components/format.js).
select * from feature_definitions
order by feature_position;

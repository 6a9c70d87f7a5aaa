-- All customers, for comparison on every segment page (computed once, not per segment).

-- name: features
-- Same statistics as `features` in [segment].json.sql, over every customer.
with all_features as (
    select columns(lambda c: c in (
        'age', 'annual_income', 'credit_score', 'spending_score', 'recency_days',
        'frequency', 'monetary_total', 'avg_order_value', 'tenure_days', 'discount_share'
    ))::double
    from customer_segments
),

long as (
    unpivot all_features on columns(*) into name feature value value
),

quartiles as (
    select
        feature,
        count(*) as n,
        avg(value) as mean,
        stddev_pop(value) as std,
        quantile_cont(value, 0.25) as q1,
        median(value) as median,
        quantile_cont(value, 0.75) as q3
    from long
    group by feature
)

select
    quartiles.feature,
    any_value(quartiles.n) as n,
    any_value(quartiles.mean) as mean,
    any_value(quartiles.std) as std,
    any_value(quartiles.q1) as q1,
    any_value(quartiles.median) as median,
    any_value(quartiles.q3) as q3,
    min(long.value) filter (where long.value >= quartiles.q1 - 1.5 * (quartiles.q3 - quartiles.q1)) as whisker_low,
    max(long.value) filter (where long.value <= quartiles.q3 + 1.5 * (quartiles.q3 - quartiles.q1)) as whisker_high
from long
inner join quartiles on long.feature = quartiles.feature
group by quartiles.feature;

-- name: mix
with members as (
    select customers.*
    from customer_segments
    inner join customers on customer_segments.customer_id = customers.customer_id
),

long as (
    unpivot (select columns(lambda c: c in ('gender', 'card_type'))::varchar from members)
    on columns(*) into name dimension value category
)

select dimension, category, count(*) as n, count(*) / sum(count(*)) over (partition by dimension) as share
from long
group by dimension, category
order by dimension, n desc;

-- name: totals
select count(*) as n_customers from customer_segments;

-- EDA page data: everything is aggregated here, so the page stays small at any size.

-- name: histograms
-- 30 equal-width bins per numeric feature, over all segmented customers. Features that are
-- absent or all null in this build produce no rows.
with features as (
    select columns(lambda c: c in (
        'age', 'annual_income', 'credit_score', 'spending_score', 'recency_days',
        'frequency', 'monetary_total', 'avg_order_value', 'tenure_days', 'discount_share'
    ))::double
    from customer_segments
),

long as (
    unpivot features on columns(*) into name feature value value
),

ranges as (
    select feature, min(value) as lo, max(value) as hi
    from long
    group by feature
),

binned as (
    select
        long.feature,
        coalesce(least(floor((long.value - ranges.lo) / nullif(ranges.hi - ranges.lo, 0) * 30), 29), 0) as bin,
        ranges.lo,
        ranges.hi
    from long
    inner join ranges on long.feature = ranges.feature
)

select
    feature,
    bin::integer as bin,
    lo + bin * (hi - lo) / 30 as bin_start,
    case when hi = lo then hi + 1 else lo + (bin + 1) * (hi - lo) / 30 end as bin_end,
    count(*) as n
from binned
group by feature, bin, lo, hi
order by feature, bin;

-- name: correlations
-- Pearson correlation of every pair of numeric features (pairwise complete rows).
with features as (
    select customer_id, columns(lambda c: c in (
        'age', 'annual_income', 'credit_score', 'spending_score', 'recency_days',
        'frequency', 'monetary_total', 'avg_order_value', 'tenure_days', 'discount_share'
    ))::double
    from customer_segments
),

long as (
    unpivot features on columns(* exclude (customer_id)) into name feature value value
)

select a.feature as feature_x, b.feature as feature_y, corr(a.value, b.value) as r, count(*) as n
from long as a
inner join long as b on a.customer_id = b.customer_id
group by a.feature, b.feature;

-- name: mixes
-- Category mixes: customers by gender, card type and region, and purchases by product
-- category (empty when there are no orders).
with customer_categories as (
    unpivot (select columns(lambda c: c in ('gender', 'card_type', 'region'))::varchar from customers)
    on columns(*) into name dimension value category
)

select dimension, category, count(*) as n
from customer_categories
group by dimension, category
union all
select 'product_category' as dimension, product_category as category, sum(n_purchases) as n
from segment_product_categories
group by product_category
order by dimension, n desc;

-- EDA page data: everything is aggregated here, so the page stays small at any size.

-- name: histograms
-- Per numeric feature, over all segmented customers: 30 equal-width bins, except for a
-- feature whose every value is a whole number (age, scores, days, purchases). Its bins have
-- whole-number edges and a whole-number width of at least 1, so each bin holds the same count
-- of possible values (30 bins over 1-100 would hold 3 or 4 and zig-zag). `first_value` and
-- `last_value` are the smallest and largest values a bin can hold. Features that are absent
-- or all null in this build produce no rows. The features are the registry's (feature_definitions).
set variable feature_names = (select list(feature_name order by feature_position) from feature_definitions);
with features as (
    select cast(columns(lambda c: list_contains(getvariable('feature_names'), c)) as double)
    from customer_segments
),

long as (
    unpivot features on columns(*) into name feature value value
),

ranges as (
    select
        feature,
        min(value) as lo,
        max(value) as hi,
        bool_and(value = floor(value)) as whole_numbers
    from long
    group by feature
),

widths as (
    select
        feature,
        lo,
        whole_numbers,
        case
            when whole_numbers then ceil((hi - lo + 1) / 30)
            when hi = lo then 1
            else (hi - lo) / 30
        end as width,
        case when whole_numbers then ceil((hi - lo + 1) / ceil((hi - lo + 1) / 30)) else 30 end as n_bins
    from ranges
),

binned as (
    select
        long.feature,
        least(floor((long.value - widths.lo) / widths.width), widths.n_bins - 1) as bin,
        widths.lo,
        widths.width,
        widths.whole_numbers
    from long
    inner join widths on long.feature = widths.feature
)

select
    feature,
    cast(bin as integer) as bin,
    lo + bin * width as bin_start,
    lo + (bin + 1) * width as bin_end,
    lo + bin * width as first_value,
    case when whole_numbers then lo + (bin + 1) * width - 1 else lo + (bin + 1) * width end as last_value,
    whole_numbers,
    count(*) as n
from binned
group by feature, bin, lo, width, whole_numbers
order by feature, bin;

-- name: correlations
-- Pearson correlation of every pair of registered features (pairwise complete rows).
set variable feature_names = (select list(feature_name order by feature_position) from feature_definitions);
with features as (
    select
        customer_id,
        cast(columns(lambda c: list_contains(getvariable('feature_names'), c)) as double)
    from customer_segments
),

long as (
    unpivot features on columns(* exclude (customer_id)) into name feature value value
)

select
    a.feature as feature_x,
    b.feature as feature_y,
    corr(a.value, b.value) as r,
    count(*) as n
from long as a
inner join long as b on a.customer_id = b.customer_id
group by a.feature, b.feature;

-- name: mixes
-- Category mixes: customers by gender, card type and region, and purchases by product
-- category (empty when there are no orders).
with customer_categories as (
    unpivot (select cast(columns(lambda c: c in ('gender', 'card_type', 'region')) as varchar) from customers)
    on columns(*) into name dimension value category
)

select
    dimension,
    category,
    count(*) as n
from customer_categories
group by dimension, category
union all
select
    'product_category' as dimension,
    product_category as category,
    sum(n_purchases) as n
from segment_product_categories
group by product_category
order by dimension asc, n desc;

-- name: settings
select currency from report_settings;

-- name: feature_definitions
-- The feature registry: each feature's label, description and format (components/format.js).
select * from feature_definitions
order by feature_position;

-- Box-plot statistics of every registered feature (seeds/feature_registry.csv), per segment
-- and over all customers (segment_id null): mean, standard deviation, quartiles and Tukey
-- whiskers (1.5 IQR), which never end inside the box.
-- Features that are absent in this build (all null) produce no rows.

with

segments as (

    select * from {{ ref('customer_segments') }}

),

long as (

    unpivot (
        select
            {%- for feature in feature_names() %}
                cast({{ feature }} as double) as {{ feature }},
            {%- endfor %}
            segment_id
        from segments
    )
    on columns(* exclude (segment_id))
    into name feature_name value feature_value

),

scoped as (

    select
        long.segment_id,
        long.feature_name,
        long.feature_value
    from long
    union all
    select
        null as segment_id,
        long.feature_name,
        long.feature_value
    from long

),

-- Quartiles from ranks, not quantile_cont: a sort spills to disk, while quantile_cont holds
-- every value of every group in memory (10M customers x 10 features ran out of memory).
ranked as (

    select
        segment_id,
        feature_name,
        feature_value,
        row_number() over by_value - 1 as value_rank,
        count(*) over by_group as n_customers
    from scoped
    window
        by_group as (partition by segment_id, feature_name),
        by_value as (by_group order by feature_value)

),

-- quantile p lies at rank p (n - 1): the values at the ranks either side of it, and how far
-- between them it falls (the linear interpolation of quantile_cont)
positioned as (

    select
        ranked.*,
        quantile.p,
        quantile.p * (ranked.n_customers - 1) as exact_rank
    from ranked
    cross join (values (0.25), (0.5), (0.75)) as quantile (p)
    where
        ranked.value_rank = floor(quantile.p * (ranked.n_customers - 1))
        or ranked.value_rank = ceil(quantile.p * (ranked.n_customers - 1))

),

interpolated as (

    select
        segment_id,
        feature_name,
        p,
        min(feature_value) + (any_value(exact_rank) - floor(any_value(exact_rank)))
        * (max(feature_value) - min(feature_value)) as quantile_value
    from positioned
    group by segment_id, feature_name, p

),

moments as (

    select
        segment_id,
        feature_name,
        count(*) as n_customers,
        avg(feature_value) as mean_value,
        stddev_pop(feature_value) as std_value
    from scoped
    group by segment_id, feature_name

),

quartile_values as (

    select
        segment_id,
        feature_name,
        any_value(quantile_value) filter (where p = 0.25) as q1,
        any_value(quantile_value) filter (where p = 0.5) as median_value,
        any_value(quantile_value) filter (where p = 0.75) as q3
    from interpolated
    group by segment_id, feature_name

),

quartiles as (

    select
        moments.*,
        quartile_values.q1,
        quartile_values.median_value,
        quartile_values.q3
    from moments
    inner join quartile_values
        on
            moments.feature_name = quartile_values.feature_name
            and moments.segment_id is not distinct from quartile_values.segment_id

),

final as (

    select
        quartiles.segment_id,
        quartiles.feature_name,
        any_value(quartiles.n_customers) as n_customers,
        any_value(quartiles.mean_value) as mean_value,
        any_value(quartiles.std_value) as std_value,
        any_value(quartiles.q1) as q1,
        any_value(quartiles.median_value) as median_value,
        any_value(quartiles.q3) as q3,
        -- quartiles are interpolated, so in a small group the nearest value inside the fence can
        -- lie within the box (values 0, 10, 10, 10: q1 = 7.5, fence 3.75, nearest value 10);
        -- the whisker then stops at the box, as in matplotlib
        least(
            any_value(quartiles.q1),
            min(scoped.feature_value) filter (
                where scoped.feature_value >= quartiles.q1 - 1.5 * (quartiles.q3 - quartiles.q1)
            )
        ) as whisker_low,
        greatest(
            any_value(quartiles.q3),
            max(scoped.feature_value) filter (
                where scoped.feature_value <= quartiles.q3 + 1.5 * (quartiles.q3 - quartiles.q1)
            )
        ) as whisker_high
    from scoped
    inner join quartiles
        on
            scoped.feature_name = quartiles.feature_name
            and scoped.segment_id is not distinct from quartiles.segment_id
    group by quartiles.segment_id, quartiles.feature_name

)

select * from final

-- Customers per segment in each cell of a regular grid over two or three features. The
-- report's explore charts (income × spending, the PCA plane, age × income × spending) are
-- drawn from these counts, never from individual customers. Each axis is cut into
-- equal-width bins between the lowest and highest value over all customers: 12 per axis for
-- the 2-D grids and 6 for the 3-D one, coarse enough that most cells hold several customers
-- on the demo data. Customers lacking a feature of a grid are not in it, so a grid whose
-- feature is absent in this build has no rows. The site publishes only the cells holding at
-- least report_min_cell_size customers (report_settings).

{%- set bins_2d = 12 %}
{%- set bins_3d = 6 %}

with

segments as (

    select * from {{ ref('customer_segments') }}

),

projections as (

    select * from {{ ref('customer_projections') }}

),

points as (

    select
        'income_spending' as grid_name,
        segment_id,
        {{ bins_2d }} as n_bins,
        'annual_income' as x_feature,
        cast(annual_income as double) as x_value,
        'spending_score' as y_feature,
        cast(spending_score as double) as y_value,
        cast(null as varchar) as z_feature,
        cast(null as double) as z_value
    from segments
    union all
    select
        'pca' as grid_name,
        segments.segment_id,
        {{ bins_2d }} as n_bins,
        'pc1' as x_feature,
        projections.pc1 as x_value,
        'pc2' as y_feature,
        projections.pc2 as y_value,
        cast(null as varchar) as z_feature,
        cast(null as double) as z_value
    from segments
    inner join projections on segments.customer_id = projections.customer_id
    union all
    select
        'age_income_spending' as grid_name,
        segment_id,
        {{ bins_3d }} as n_bins,
        'age' as x_feature,
        cast(age as double) as x_value,
        'annual_income' as y_feature,
        cast(annual_income as double) as y_value,
        'spending_score' as z_feature,
        cast(spending_score as double) as z_value
    from segments

),

complete_points as (

    select *
    from points
    where x_value is not null and y_value is not null and (z_feature is null or z_value is not null)

),

ranges as (

    select
        grid_name,
        min(x_value) as x_min,
        max(x_value) as x_max,
        min(y_value) as y_min,
        max(y_value) as y_max,
        min(z_value) as z_min,
        max(z_value) as z_max
    from complete_points
    group by grid_name

),

located as (

    select
        complete_points.*,
        ranges.* exclude (grid_name)
    from complete_points
    inner join ranges on complete_points.grid_name = ranges.grid_name

),

binned as (

    select
        grid_name,
        segment_id,
        n_bins,
        x_feature,
        y_feature,
        z_feature,
        x_min,
        y_min,
        z_min,
        (x_max - x_min) / n_bins as x_width,
        (y_max - y_min) / n_bins as y_width,
        (z_max - z_min) / n_bins as z_width,
        {{ equal_width_bin('x_value', 'x_min', 'x_max', 'n_bins') }} as x_bin,
        {{ equal_width_bin('y_value', 'y_min', 'y_max', 'n_bins') }} as y_bin,
        {{ equal_width_bin('z_value', 'z_min', 'z_max', 'n_bins') }} as z_bin
    from located

),

cells as (

    select
        grid_name,
        segment_id,
        x_feature,
        y_feature,
        z_feature,
        x_bin,
        y_bin,
        z_bin,
        any_value(x_min + x_bin * x_width) as x_low,
        any_value(x_min + (x_bin + 1) * x_width) as x_high,
        any_value(y_min + y_bin * y_width) as y_low,
        any_value(y_min + (y_bin + 1) * y_width) as y_high,
        any_value(z_min + z_bin * z_width) as z_low,
        any_value(z_min + (z_bin + 1) * z_width) as z_high,
        count(*) as n_customers
    from binned
    group by grid_name, segment_id, x_feature, y_feature, z_feature, x_bin, y_bin, z_bin

),

final as (

    select
        concat_ws('/', grid_name, segment_id, x_bin, y_bin, z_bin) as cell_key,
        grid_name,
        segment_id,
        x_feature,
        x_bin,
        x_low,
        (x_low + x_high) / 2 as x_center,
        x_high,
        y_feature,
        y_bin,
        y_low,
        (y_low + y_high) / 2 as y_center,
        y_high,
        z_feature,
        z_bin,
        z_low,
        (z_low + z_high) / 2 as z_center,
        z_high,
        n_customers
    from cells

)

select * from final

-- Explore page data: customers counted per segment in the cells of three grids
-- (segment_grid_cells), never individual customers. A cell is published only when it holds
-- at least report_min_cell_size customers of its segment (report_settings, a dbt var).

-- name: cells
select
    cells.grid_name,
    cells.segment_id,
    cells.x_low,
    cells.x_center,
    cells.x_high,
    cells.y_low,
    cells.y_center,
    cells.y_high,
    cells.z_low,
    cells.z_center,
    cells.z_high,
    cells.n_customers
from segment_grid_cells as cells
inner join report_settings on cells.n_customers >= report_settings.report_min_cell_size
-- Largest first, so that smaller dots are drawn on top of larger ones in the same cell.
order by cells.grid_name asc, cells.n_customers desc, cells.cell_key asc;

-- name: coverage
-- Per grid: customers placed in it, and those in cells too small to publish (not drawn).
select
    cells.grid_name,
    sum(cells.n_customers) as n_customers,
    coalesce(sum(cells.n_customers) filter (where cells.n_customers < report_settings.report_min_cell_size), 0)
        as n_not_drawn
from segment_grid_cells as cells
cross join report_settings
group by cells.grid_name
order by cells.grid_name;

-- name: settings
select report_min_cell_size from report_settings;

-- name: segments
select
    segment_id,
    segment_name,
    n_customers
from segment_profiles
order by segment_id;

-- name: projection
-- Share of the variance of the scaled features that each principal component explains.
select
    any_value(pc1_explained_variance) as pc1_explained_variance,
    any_value(pc2_explained_variance) as pc2_explained_variance,
    count(*) as n_customers
from customer_projections;

-- name: feature_definitions
-- The feature registry: each feature's label, description and format (components/format.js).
select * from feature_definitions
order by feature_position;

-- The report site's publication settings for this run, one row, from the dbt vars
-- report_customer_rows and report_min_cell_size. The site's loader reads only the DuckDB
-- file, never dbt's vars, so its page SQL reads the settings here.

with

final as (

    select
        {{ report_customer_rows_literal() }} as report_customer_rows,
        {{ report_min_cell_size_literal() }} as report_min_cell_size

)

select * from final

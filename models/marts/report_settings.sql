-- The report site's publication settings for this run, one row, from the dbt vars
-- report_customer_rows and report_min_cell_size. The site's loader reads only the DuckDB
-- file, never dbt's vars, so its page SQL reads the settings here.

with

final as (

    select
        {{ 'true' if validated_var('report_customer_rows') else 'false' }} as report_customer_rows,
        {{ validated_var('report_min_cell_size') }} as report_min_cell_size

)

select * from final

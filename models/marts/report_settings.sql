-- The report site's publication settings for this run, one row, from the dbt vars
-- report_customer_rows, report_min_cell_size and currency. The site's loader reads only the DuckDB
-- file, never dbt's vars, so its page SQL reads the settings here.

with

final as (

    select
        {{ 'true' if validated_var('report_customer_rows') else 'false' }} as report_customer_rows,
        {{ validated_var('report_min_cell_size') }} as report_min_cell_size,
        -- validated as three capital letters, so it cannot break out of the quotes
        '{{ validated_var('currency') }}' as currency

)

select * from final

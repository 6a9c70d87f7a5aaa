-- A one-row settings table, like report_settings.
select
    'USD' as currency,
    5 as min_cell_size

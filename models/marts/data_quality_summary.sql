-- Raw, clean and quarantined row counts per source: the reconciliation, as a table.

with

raw_customers as (

    select count(*) as n_rows from {{ ref('base_shop__raw_customers') }}

),

raw_orders as (

    select count(*) as n_rows from {{ ref('base_shop__raw_orders') }}

),

clean_customers as (

    select count(*) as n_rows from {{ ref('stg_shop__customers') }}

),

clean_orders as (

    select count(*) as n_rows from {{ ref('stg_shop__orders') }}

),

quarantined as (

    select
        source_name,
        count(*) as n_rows
    from {{ ref('stg_shop__quarantined_rows') }}
    group by source_name

),

sources as (

    select
        'raw_customers' as source_name,
        raw_customers.n_rows as raw_rows,
        clean_customers.n_rows as clean_rows
    from raw_customers
    cross join clean_customers
    union all
    select
        'raw_orders' as source_name,
        raw_orders.n_rows as raw_rows,
        clean_orders.n_rows as clean_rows
    from raw_orders
    cross join clean_orders

),

final as (

    select
        sources.source_name,
        sources.raw_rows,
        sources.clean_rows,
        coalesce(quarantined.n_rows, 0) as quarantined_rows,
        sources.raw_rows = sources.clean_rows + coalesce(quarantined.n_rows, 0) as is_reconciled
    from sources
    left join quarantined
        on sources.source_name = quarantined.source_name

)

select * from final

-- Raw, clean, quarantined and after-as_of_date counts per input and grain: the reconciliation,
-- as a table. raw_orders counts rows (order lines); orders counts order ids, an order being clean
-- when at least one of its lines is clean and before as_of_date. A line that passed every check
-- but is on or after as_of_date is outside the window: neither clean nor quarantined, it is
-- counted in after_as_of_date_rows, so raw = clean + quarantined + after_as_of_date. Customer
-- rows are never outside the window (a later signup is clean, and not segmented).
-- identical_rows_kept counts rows identical to an earlier row that were kept as separate orders
-- (an input without order ids, orders_identical_rows).
-- On the raw_customers row, segmented_rows and not_segmented_rows split the clean customers
-- into those the segmentation placed and those it left out (no value for a selected feature),
-- with not_segmented_by_reason counting the latter by reason code (customers_not_segmented).

with

customer_rows as (

    select
        count(*) as raw_rows,
        count(*) filter (where rejection_reason is null) as clean_rows,
        0 as after_as_of_date_rows,
        0 as identical_rows_kept
    from {{ ref('base_shop__customers') }}

),

order_lines as (

    select
        count(*) as raw_rows,
        count(*) filter (where rejection_reason is null and not is_after_as_of_date) as clean_rows,
        count(*) filter (where rejection_reason is null and is_after_as_of_date) as after_as_of_date_rows,
        count(*) filter (
            where rejection_reason is null and not is_after_as_of_date and is_repeat_of_identical_row
        ) as identical_rows_kept
    from {{ ref('base_shop__order_lines') }}

),

order_id_lines as (

    -- one grouping pass, where two distinct counts would each hash every line again
    select
        order_id,
        bool_or(rejection_reason is null and not is_after_as_of_date) as has_clean_line,
        bool_or(rejection_reason is null and is_after_as_of_date) as has_line_after_as_of_date
    from {{ ref('base_shop__order_lines') }}
    where order_id is not null
    group by order_id

),

order_ids as (

    select
        count(*) as raw_rows,
        count(*) filter (where has_clean_line) as clean_rows,
        count(*) filter (where has_line_after_as_of_date and not has_clean_line) as after_as_of_date_rows,
        0 as identical_rows_kept
    from order_id_lines

),

clean_orders as (

    select count(*) as n_rows from {{ ref('stg_shop__orders') }}

),

segmented as (

    select count(*) as n_rows from {{ ref('int_customers_segmented') }}

),

not_segmented_reasons as (

    select
        reason,
        count(*) as n_rows
    from {{ ref('customers_not_segmented') }}
    group by reason

),

not_segmented as (

    select
        cast(coalesce(sum(n_rows), 0) as bigint) as n_rows,
        coalesce(map_from_entries(list((reason, n_rows) order by n_rows desc, reason asc)), map()) as by_reason
    from not_segmented_reasons

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
        'row' as grain,
        customer_rows.*
    from customer_rows
    union all
    select
        'raw_orders' as source_name,
        'row' as grain,
        order_lines.*
    from order_lines
    union all
    select
        'orders' as source_name,
        'order' as grain,
        order_ids.*
    from order_ids

),

final as (

    select
        sources.source_name,
        sources.grain,
        sources.raw_rows,
        -- at the order grain, clean orders are stg_shop__orders, which must match its lines
        case when sources.grain = 'order' then clean_orders.n_rows else sources.clean_rows end as clean_rows,
        case
            when sources.grain = 'order' then sources.raw_rows - sources.clean_rows - sources.after_as_of_date_rows
            else coalesce(quarantined.n_rows, 0)
        end as quarantined_rows,
        sources.after_as_of_date_rows,
        sources.identical_rows_kept,
        case when sources.source_name = 'raw_customers' then segmented.n_rows end as segmented_rows,
        case when sources.source_name = 'raw_customers' then not_segmented.n_rows end as not_segmented_rows,
        case when sources.source_name = 'raw_customers' then not_segmented.by_reason end as not_segmented_by_reason,
        case
            when sources.grain = 'order' then clean_orders.n_rows = sources.clean_rows
            else
                sources.raw_rows
                = sources.clean_rows + coalesce(quarantined.n_rows, 0) + sources.after_as_of_date_rows
        end as is_reconciled
    from sources
    cross join clean_orders
    cross join segmented
    cross join not_segmented
    left join quarantined
        on sources.source_name = quarantined.source_name

)

select * from final

-- Every raw order row, typed and normalised, with the reason it is rejected (null = clean).
-- A row is an order line: quantity × unit price, many lines per order id. An input with an
-- amount and no quantity is read as one line per order. Money is DECIMAL throughout.
-- Only a repeat of a whole line is a duplicate; lines of one order id that disagree on the
-- customer or the time are a conflicting_order_id. Without an order id every row is an order,
-- and identical rows are separate orders unless orders_identical_rows is 'duplicates'.
-- Cancellations (an order id starting with orders_cancellation_prefix) are returns: their
-- amounts count as negative.
-- A line on or after as_of_date is not rejected: it passes the same checks, and
-- is_after_as_of_date keeps it out of the window that stg_shop__order_lines passes on.
{%- set columns = resolve_input_columns('orders') if execute else {} %}
{%- set separator = decimal_separator('orders', columns, ['amount', 'unit_price', 'quantity']) %}
{%- set date_format = timestamp_format('orders', columns, 'ordered_at') %}
{%- set has_order_id = 'order_id' in columns %}
{%- set has_amount = 'amount' in columns %}
{%- set has_discount_column = 'is_discounted' in columns %}
{%- set identical_rows_are_duplicates = has_order_id or validated_var('orders_identical_rows') == 'duplicates' %}
{%- set cancellation_prefix = (validated_var('orders_cancellation_prefix') or '') | string %}

with

as_of as (

    select * from {{ ref('base_shop__as_of_date') }}

),

customers as (

    select
        customer_id,
        bool_and(rejection_reason is not null) as is_quarantined
    from {{ ref('base_shop__customers') }}
    where customer_id is not null
    group by customer_id

),

-- read twice (once to type every row, once for the raw text of rejected rows) rather than
-- held: at order scale a copy of every raw row is the build's largest cost in memory and spill
source as not materialized (

    select
        {%- for spec in input_column_specs('orders') %}
            {{ input_column(columns, spec.name) }} as {{ spec.name }},
        {%- endfor %}
        row_number() over () as source_row
    from {{ source('shop', 'orders') }}

),

renamed as not materialized (

    select
        source.source_row,
        {%- if has_order_id %}
            {{ normalize_id('source.order_id') }} as order_id,
        {%- else %}
            'row-' || source.source_row as order_id,
        {%- endif %}
        {{ normalize_id('source.customer_id') }} as customer_id,
        {{ normalize_id('source.product_id') }} as product_id,
        {{ parse_timestamp('source.ordered_at', date_format) }} as ordered_at,
        {{ parse_decimal('source.quantity', separator, 'decimal(18, 3)') }} as quantity,
        {{ parse_decimal('source.unit_price', separator) }} as unit_price,
        {{ parse_decimal('source.amount', separator) }} as amount_given,
        coalesce(nullif(lower(trim(source.product_category)), ''), 'unknown') as product_category,
        case
            when lower(trim(source.is_discounted)) in ('true', 't', '1', 'yes', 'y') then true
            when lower(trim(source.is_discounted)) in ('false', 'f', '0', 'no', 'n') then false
        end as is_discounted,
        {{ 'starts_with(trim(source.order_id), ' ~ sql_string(cancellation_prefix) ~ ')'
            if has_order_id and cancellation_prefix else 'false' }} as is_cancellation,
        source.ordered_at as ordered_at_raw,
        source.quantity as quantity_raw,
        source.unit_price as unit_price_raw,
        source.amount as amount_raw,
        as_of.as_of_date
    from source
    cross join as_of

),

priced as not materialized (

    select
        renamed.*,
        {%- if has_amount %}
            renamed.amount_given as line_amount
        {%- else %}
            try_cast(renamed.quantity * renamed.unit_price as decimal(18, 4)) as line_amount
        {%- endif %}
    from renamed

),

-- Everything later steps need, and nothing more: the one copy of the order lines held while
-- the duplicate and conflict checks run (left to itself, DuckDB holds `renamed`, raw text and
-- all). The checks that need one row only are decided here, so that the raw text can go.
typed as materialized (

    select
        source_row,
        order_id,
        customer_id,
        product_id,
        ordered_at,
        quantity,
        unit_price,
        line_amount,
        product_category,
        is_discounted,
        is_cancellation,
        coalesce(ordered_at >= as_of_date, false) as is_after_as_of_date,
        case
            when nullif(trim(ordered_at_raw), '') is null then 'missing_ordered_at'
            when ordered_at is null then 'invalid_ordered_at'
            when ordered_at < timestamp '1900-01-01' then 'out_of_range_ordered_at'
            when not {{ is_plausible_timestamp('ordered_at') }} then 'ordered_in_future'
            {%- if has_amount %}
            {{ money_rejection('amount', 'amount_raw', 'amount_given') }}
            {%- else %}
                {{ money_rejection('quantity', 'quantity_raw', 'quantity') }}
                {{ money_rejection('unit_price', 'unit_price_raw', 'unit_price') }}
                when unit_price < 0 then 'out_of_range_unit_price'
                when line_amount is null then 'out_of_range_amount'
            {%- endif %}
            {%- if has_discount_column %}
            when is_discounted is null then 'invalid_is_discounted'
            {%- endif %}
        end as row_rejection_reason,
        -- without order ids, every row has its own; identical rows are found by content
        hash(struct_pack(
            order_key := {{ 'order_id' if has_order_id else "''" }},
            customer_id,
            product_id,
            ordered_at,
            quantity,
            unit_price,
            amount_given,
            product_category,
            is_discounted,
            ordered_at_text := trim(ordered_at_raw),
            amount_text := trim(amount_raw)
        )) as line_fingerprint
    from priced

),

-- The exceptions only, from grouped aggregates: at order scale a hash aggregate is several
-- times cheaper than a partitioned window, and joining back only the few lines and orders
-- that repeat or conflict keeps the joins small.
repeated_lines as (

    select
        line_fingerprint,
        min(source_row) as first_source_row
    from typed
    group by line_fingerprint
    having count(*) > 1

),

{%- if has_order_id %}

conflicting_orders as (

    -- lines of one order must agree on who ordered and when (min < max: more than one value)
    select order_id
    from typed
    where order_id is not null
    group by order_id
    having min(customer_id) < max(customer_id) or min(ordered_at) < max(ordered_at)

),
{%- endif %}

-- computed twice (for the rows and for the rejected ids below) rather than held
classified as not materialized (

    select
        typed.source_row,
        typed.order_id,
        typed.customer_id,
        typed.product_id,
        typed.ordered_at,
        typed.quantity,
        typed.unit_price,
        -- a cancellation is a return whatever sign the export gives it
        case when typed.is_cancellation then -abs(typed.line_amount) else typed.line_amount end as amount,
        typed.product_category,
        typed.is_discounted,
        typed.is_cancellation,
        typed.is_after_as_of_date,
        {%- if identical_rows_are_duplicates %}
            false as is_repeat_of_identical_row,
        {%- else %}
            coalesce(typed.source_row > repeated_lines.first_source_row, false) as is_repeat_of_identical_row,
        {%- endif %}
        case
            when typed.customer_id is null then 'missing_customer_id'
            when typed.order_id is null then 'missing_order_id'
            {%- if identical_rows_are_duplicates %}
            -- copies of one whole line: keep the first, quarantine the rest
            when typed.source_row > repeated_lines.first_source_row then 'duplicate_row'
            {%- endif %}
            {%- if has_order_id %}
            when conflicting_orders.order_id is not null then 'conflicting_order_id'
            {%- endif %}
            when typed.row_rejection_reason is not null then typed.row_rejection_reason
            when customers.customer_id is null then 'unknown_customer'
            when customers.is_quarantined then 'customer_quarantined'
        end as rejection_reason
    from typed
    left join repeated_lines
        on typed.line_fingerprint = repeated_lines.line_fingerprint
    {%- if has_order_id %}
    left join conflicting_orders
        on typed.order_id = conflicting_orders.order_id
    {%- endif %}
    left join customers
        on typed.customer_id = customers.customer_id

),

-- the row as given, as JSON, for rejected rows only
rejected_raw_rows as (

    select
        source.source_row,
        to_json(struct_pack(
            {%- for spec in input_column_specs('orders') if spec.name in columns or spec.get('required') %}
                {{ spec.name }} := source.{{ spec.name }}{{ ',' if not loop.last }}
            {%- endfor %}
        )) as raw_record
    from source
    where source.source_row in (
        select classified.source_row from classified
        where classified.rejection_reason is not null
    )

),

final as (

    select
        classified.*,
        rejected_raw_rows.raw_record
    from classified
    left join rejected_raw_rows
        on classified.source_row = rejected_raw_rows.source_row

)

select * from final

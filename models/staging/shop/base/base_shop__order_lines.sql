-- Every raw order row, typed and normalised, with the reason it is rejected (null = clean).
-- A row is an order line: quantity × unit price, many lines per order id. An input with an
-- amount and no quantity is read as one line per order. Money is DECIMAL throughout.
-- Only a repeat of a whole line is a duplicate; lines of one order id that disagree on the
-- customer or the time are a conflicting_order_id. Without an order id every row is an order,
-- and identical rows are separate orders unless orders_identical_rows is 'duplicates'.
-- Cancellations (an order id starting with orders_cancellation_prefix) are returns: their
-- amounts count as negative.
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

source as (

    select
        {%- for spec in input_column_specs('orders') %}
            {{ input_column(columns, spec.name) }} as {{ spec.name }},
        {%- endfor %}
        row_number() over () as source_row
    from {{ source('shop', 'orders') }}

),

renamed as (

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
        source.is_discounted as is_discounted_raw,
        as_of.as_of_date,
        as_of.is_explicit as as_of_date_is_explicit,
        -- the row as given, kept as JSON for rejected rows only
        struct_pack(
            {%- for spec in input_column_specs('orders') if spec.name in columns or spec.get('required') %}
                {{ spec.name }} := source.{{ spec.name }}{{ ',' if not loop.last }}
            {%- endfor %}
        ) as raw_row
    from source
    cross join as_of

),

priced as (

    select
        renamed.*,
        {%- if has_amount %}
            renamed.amount_given as line_amount,
        {%- else %}
            try_cast(renamed.quantity * renamed.unit_price as decimal(18, 4)) as line_amount,
        {%- endif %}
        -- without order ids, every row has its own; identical rows are found by content
        hash(struct_pack(
            order_key := {{ 'renamed.order_id' if has_order_id else "''" }},
            renamed.customer_id,
            renamed.product_id,
            renamed.ordered_at,
            renamed.quantity,
            renamed.unit_price,
            renamed.amount_given,
            renamed.product_category,
            renamed.is_discounted,
            ordered_at_text := trim(renamed.ordered_at_raw),
            amount_text := trim(renamed.amount_raw)
        )) as line_fingerprint
    from renamed

),

-- Per-order and per-line facts as grouped aggregates joined back: at order scale these hash
-- aggregates are several times cheaper than partitioned (count distinct) window functions.
first_copies as (

    select
        line_fingerprint,
        min(source_row) as first_source_row
    from priced
    group by line_fingerprint

),

{%- if has_order_id %}

order_checks as (

    -- lines of one order must agree on who ordered and when (min < max: more than one value)
    select
        order_id,
        min(customer_id) < max(customer_id) or min(ordered_at) < max(ordered_at) as has_conflicting_lines
    from priced
    where order_id is not null
    group by order_id

),
{%- endif %}

checked as (

    select
        priced.*,
        -- copies of one whole line: keep the first, quarantine the rest
        priced.source_row > first_copies.first_source_row as is_later_copy,
        {%- if has_order_id %}
            coalesce(order_checks.has_conflicting_lines, false) as has_conflicting_lines,
        {%- else %}
            false as has_conflicting_lines,
        {%- endif %}
        customers.customer_id is not null as is_known_customer,
        coalesce(customers.is_quarantined, false) as is_customer_quarantined
    from priced
    inner join first_copies
        on priced.line_fingerprint = first_copies.line_fingerprint
    {%- if has_order_id %}
    left join order_checks
        on priced.order_id = order_checks.order_id
    {%- endif %}
    left join customers
        on priced.customer_id = customers.customer_id

),

classified as (

    select
        source_row,
        order_id,
        customer_id,
        product_id,
        ordered_at,
        quantity,
        unit_price,
        -- a cancellation is a return whatever sign the export gives it
        case when is_cancellation then -abs(line_amount) else line_amount end as amount,
        product_category,
        is_discounted,
        is_cancellation,
        {{ 'false' if identical_rows_are_duplicates else 'is_later_copy' }} as is_repeat_of_identical_row,
        raw_row,
        case
            when customer_id is null then 'missing_customer_id'
            when order_id is null then 'missing_order_id'
            {%- if identical_rows_are_duplicates %}
            when is_later_copy then 'duplicate_row'
            {%- endif %}
            when has_conflicting_lines then 'conflicting_order_id'
            when nullif(trim(ordered_at_raw), '') is null then 'missing_ordered_at'
            when ordered_at is null then 'invalid_ordered_at'
            when ordered_at < timestamp '1900-01-01' then 'out_of_range_ordered_at'
            when as_of_date_is_explicit and ordered_at >= as_of_date then 'ordered_after_as_of_date'
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
            when not is_known_customer then 'unknown_customer'
            when is_customer_quarantined then 'customer_quarantined'
        end as rejection_reason
    from checked

),

final as (

    select
        classified.* exclude (raw_row),  -- noqa: RF03
        case when classified.rejection_reason is not null then to_json(classified.raw_row) end as raw_record
    from classified

)

select * from final

-- The date every feature is measured at, as one row. It is the as_of_date var when set;
-- otherwise the day after the latest plausible event in the inputs (an order, else a signup),
-- where plausible means readable, from 1900 on and not in the future, so that one absurd date
-- (year 2999, 12024, 'infinity') can never move it. With no dates at all, it is the build date.
{%- set order_columns = resolve_input_columns('orders') if execute else {} %}
{%- set customer_columns = resolve_input_columns('customers') if execute and input_is_present('customers') else {} %}
{%- set order_format = timestamp_format('orders', order_columns, 'ordered_at') %}
{%- set signup_format = timestamp_format('customers', customer_columns, 'signup_date') %}

with

order_dates as (

    select {{ parse_timestamp(input_column(order_columns, 'ordered_at'), order_format) }} as event_at
    from {{ source('shop', 'orders') }}

),

signup_dates as (

    {%- if customer_columns %}
        select {{ parse_timestamp(input_column(customer_columns, 'signup_date'), signup_format) }} as event_at
        from {{ source('shop', 'customers') }}
    {%- else %}
        select cast(null as timestamp) as event_at
    {%- endif %}

),

latest as (

    select
        (select max(event_at) from order_dates where {{ is_plausible_timestamp('event_at') }}) as latest_order_at,
        (select max(event_at) from signup_dates where {{ is_plausible_timestamp('event_at') }}) as latest_signup_at

),

final as (

    select
        coalesce(
            {{ as_of_date_literal() }},
            cast(latest_order_at as date) + 1,
            cast(latest_signup_at as date) + 1,
            current_date
        ) as as_of_date,
        case
            when {{ as_of_date_literal() }} is not null then 'as_of_date var'
            when latest_order_at is not null then 'day after the latest order'
            when latest_signup_at is not null then 'day after the latest signup'
            else 'build date (the inputs have no dates)'
        end as as_of_date_rule,
        {{ as_of_date_literal() }} is not null as is_explicit,
        latest_order_at,
        latest_signup_at
    from latest

)

select * from final

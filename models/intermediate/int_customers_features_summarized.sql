-- One row per candidate feature: how many clean customers have a value, and, for a feature
-- with no value at all, the likely cause in words. The segmentation quotes that cause when a
-- selected feature has no values, so the user learns what is absent from the input and which
-- var to change, instead of only that the column is empty.
{%- set customers_present = input_is_present('customers') %}
{%- set orders_present = input_is_present('orders') %}
{%- set columns = resolve_input_columns('customers') if execute and customers_present else {} %}
{%- set customers_label = input_label('customers') if execute and customers_present else '' %}
{%- set orders_label = input_label('orders') if execute and orders_present else '' %}
{#- why a customers column has no value: no customers input, no such column, or all blank -#}
{%- set customer_causes = {} %}
{%- for feature, names in [
    ('age', ['age', 'birth_year', 'birth_date']), ('annual_income', ['annual_income']),
    ('credit_score', ['credit_score']), ('spending_score', ['spending_score']), ('signup_date', ['signup_date'])
] %}
    {%- if not customers_present %}
        {%- set cause = 'there is no customers input (customers_path is not set): '
            ~ 'the customers are the ids in the orders' %}
    {%- elif names | select('in', columns) | list %}
        {%- set cause = 'every ' ~ feature ~ ' value of ' ~ customers_label ~ ' is blank' %}
    {%- else %}
        {%- set cause = customers_label ~ ' has no ' ~ feature ~ ' column (map one with the customers_columns var)' %}
    {%- endif %}
    {%- do customer_causes.update({feature: cause}) %}
{%- endfor %}

with

features as (

    select * from {{ ref('int_customers_features_joined') }}

),

order_lines as (

    select * from {{ ref('base_shop__order_lines') }}

),

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

as_of as (

    select * from {{ ref('base_shop__as_of_date') }}

),

value_counts as (

    select
        count(*) as n_customers,
        count(columns(* exclude (customer_id, as_of_date)))
    from features

),

long as (

    select
        n_customers,
        feature_name,
        n_values
    from value_counts
    unpivot (n_values for feature_name in (columns(* exclude n_customers)))

),

line_counts as (

    select
        count(*) as n_order_rows,
        count(rejection_reason) as n_quarantined_order_rows,
        count(*) filter (where rejection_reason is null and is_after_as_of_date) as n_order_rows_after
    from order_lines

),

order_counts as (

    select
        any_value(as_of.as_of_date) as as_of_date,
        count(orders.order_id) as n_clean_orders,
        count(orders.is_discounted) as n_discount_flags
    from as_of
    left join orders
        on as_of.as_of_date > orders.ordered_at

),

causes as (

    select
        {%- if orders_present %}
            case
                when order_counts.n_clean_orders = 0
                    then
                        {{ sql_string(orders_label) }} || ' has no clean order before as_of_date '
                        || strftime(order_counts.as_of_date, '%Y-%m-%d') || ' ('
                        || line_counts.n_order_rows || ' rows read, ' || line_counts.n_quarantined_order_rows
                        || ' quarantined: see stg_shop__quarantined_rows; ' || line_counts.n_order_rows_after
                        || ' on or after as_of_date)'
            end as no_orders_cause,
        {%- else %}
            'there is no orders input (orders_path is not set)' as no_orders_cause,
        {%- endif %}
        case
            when order_counts.n_clean_orders > 0 and order_counts.n_discount_flags = 0
                then 'the orders have no discount flag (no is_discounted column, or every value is blank)'
        end as no_discount_cause
    from order_counts
    cross join line_counts

),

final as (

    select
        long.feature_name,
        long.n_customers,
        long.n_values,
        long.n_customers - long.n_values as n_missing,
        case
            when long.n_values = 0 then coalesce(
                case long.feature_name
                    when 'age'
                        then
                            {{ sql_string(customer_causes['age']) }}
                    when 'annual_income'
                        then
                            {{ sql_string(customer_causes['annual_income']) }}
                    when 'credit_score'
                        then
                            {{ sql_string(customer_causes['credit_score']) }}
                    when 'spending_score'
                        then
                            {{ sql_string(customer_causes['spending_score']) }}
                            || ', and ' || causes.no_orders_cause || ' to derive it from'
                    when 'tenure_days'
                        then
                            {{ sql_string(customer_causes['signup_date']) }}
                            || ', and ' || causes.no_orders_cause || ' to date a first order'
                    when 'discount_share' then coalesce(causes.no_orders_cause, causes.no_discount_cause)
                    else causes.no_orders_cause
                end,
                'no customer has a value for it'
            )
        end as no_values_cause
    from long
    cross join causes

)

select * from final

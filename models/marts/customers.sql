with

customers as (

    select * from {{ ref('stg_shop__customers') }}

),

rfm as (

    select * from {{ ref('int_customers_rfm_scored') }}

),

final as (

    select
        customers.customer_id,
        customers.gender,
        customers.age,
        customers.annual_income,
        customers.credit_score,
        customers.card_type,
        customers.region,
        customers.signup_date,
        rfm.customer_since_date,
        rfm.first_order_at,
        rfm.last_purchase_at,
        rfm.has_purchases
    from customers
    left join rfm
        on customers.customer_id = rfm.customer_id

)

select * from final

with

rfm as (

    select * from {{ ref('int_customers_rfm_scored') }}

),

final as (

    select
        customer_id,
        as_of_date,
        recency_days,
        frequency,
        monetary_total,
        avg_order_value,
        tenure_days,
        discount_share,
        spending_score,
        refund_count,
        has_purchases
    from rfm

)

select * from final

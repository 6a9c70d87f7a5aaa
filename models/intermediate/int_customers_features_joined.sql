-- One row per clean customer with every candidate clustering feature, demographics first.
-- The segment_features var picks which of these columns the K-Means model uses.
-- Customers who signed up on or after as_of_date are not here: they were not customers yet at
-- that date (customers_not_segmented lists them), so they neither shape the model nor count
-- towards the share of customers a selected feature leaves out.

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
        customers.age,
        customers.annual_income,
        customers.credit_score,
        -- a spending score given by the input is used as given; otherwise it is derived
        coalesce(customers.spending_score, rfm.spending_score) as spending_score,
        rfm.recency_days,
        rfm.frequency,
        rfm.monetary_total,
        rfm.avg_order_value,
        rfm.tenure_days,
        rfm.discount_share,
        rfm.as_of_date
    from customers
    inner join rfm
        on customers.customer_id = rfm.customer_id
    where not rfm.is_signed_up_after_as_of_date

)

select * from final

{{ check_rejected_share('customers', ref('base_shop__customers')) }}

with

validated as (

    select * from {{ ref('base_shop__customers') }}

),

final as (

    select
        customer_id,
        gender,
        age,
        annual_income,
        spending_score,
        credit_score,
        card_type,
        region,
        signup_date
    from validated
    where rejection_reason is null

)

select * from final

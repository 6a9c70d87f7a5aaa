-- Explore page data: one seeded sample of at most 5,000 customers feeds all three point
-- charts, so the page stays small whatever the number of customers. The order is a hash of
-- the customer id and the run's random_seed: the same customers on every build.

-- name: sample
with sampled as (
    select *
    from customer_segments
    order by hash(customer_id, random_seed), customer_id
    limit 5000
),

projected as (
    select sampled.*, round(customer_projections.pc1, 3) as pc1, round(customer_projections.pc2, 3) as pc2
    from sampled
    left join customer_projections on sampled.customer_id = customer_projections.customer_id
)

select columns(lambda c: c in ('segment_id', 'age', 'annual_income', 'spending_score', 'pc1', 'pc2'))
from projected;

-- name: segments
select segment_id, segment_name, n_customers
from segment_profiles
order by segment_id;

-- name: projection
-- Share of the variance of the scaled features that each principal component explains.
select
    any_value(pc1_explained_variance) as pc1_explained_variance,
    any_value(pc2_explained_variance) as pc2_explained_variance,
    count(*) as n_customers
from customer_projections;

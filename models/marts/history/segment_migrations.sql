-- Where the customers of one run went in another: from-segment × to-segment counts, with the
-- customers new since (no from-segment) and gone since (no to-segment). By default the two
-- latest runs in segment_assignment_history; the migrations_from_version and
-- migrations_to_version vars pick runs by model_version instead (the latest run of each).
-- With a single run there is nothing to compare, and the table is empty.

with

history as (

    select * from {{ ref('segment_assignment_history') }}

),

runs as (

    select distinct
        run_id,
        built_at,
        model_version
    from history

),

ranked_runs as (

    select
        *,
        row_number() over (order by built_at desc, run_id desc) as recency_rank,
        row_number() over (partition by model_version order by built_at desc, run_id desc) as version_rank
    from runs

),

compared_runs as (

    select
        {%- set from_version = validated_var('migrations_from_version') %}
        {%- set to_version = validated_var('migrations_to_version') %}
        (
            select run_id from ranked_runs
            {%- if from_version %}
                where model_version = {{ sql_string(from_version) }} and version_rank = 1
            {%- else %}
                where recency_rank = 2
            {%- endif %}
        ) as from_run_id,
        (
            select run_id from ranked_runs
            {%- if to_version %}
                where model_version = {{ sql_string(to_version) }} and version_rank = 1
            {%- else %}
                where recency_rank = 1
            {%- endif %}
        ) as to_run_id

),

from_assignments as (

    select history.*
    from history
    inner join compared_runs
        on history.run_id = compared_runs.from_run_id

),

to_assignments as (

    select history.*
    from history
    inner join compared_runs
        on history.run_id = compared_runs.to_run_id

),

moves as (

    select
        from_assignments.segment_id as from_segment_id,
        from_assignments.segment_name as from_segment_name,
        to_assignments.segment_id as to_segment_id,
        to_assignments.segment_name as to_segment_name,
        count(*) as customers
    from from_assignments
    full outer join to_assignments
        on from_assignments.customer_id = to_assignments.customer_id
    group by all

),

final as (

    select
        compared_runs.from_run_id,
        (select any_value(model_version) from from_assignments) as from_model_version,
        compared_runs.to_run_id,
        (select any_value(model_version) from to_assignments) as to_model_version,
        moves.from_segment_id,
        moves.from_segment_name,
        moves.to_segment_id,
        moves.to_segment_name,
        moves.from_segment_id is null as is_new_customer,
        moves.to_segment_id is null as is_gone_customer,
        moves.customers,
        moves.customers / sum(moves.customers) over (partition by moves.from_segment_id) as share_of_from_segment,
        moves.customers / sum(moves.customers) over () as share_of_customers
    from moves
    cross join compared_runs
    -- nothing to compare until there are two runs
    where compared_runs.from_run_id is not null and compared_runs.to_run_id is not null

)

select * from final

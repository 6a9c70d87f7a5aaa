-- One marketing action per segment of the current model, from the editable rules in
-- seeds/segment_action_rules.csv and seeds/segment_action_conditions.csv: a rule matches when
-- every one of its conditions holds on the segment's metrics (int_segment_metrics_unpivoted),
-- and the matching rule with the lowest priority number wins. The reason quotes the measured
-- values that made it match. A rule without conditions matches every segment (the catch-all).
{{ check_action_rules(
    ref('segment_action_rules'), ref('segment_action_conditions'), ref('int_segment_metrics_unpivoted')
) }}

with

value_tiers as (

    select * from {{ ref('segment_value_tiers') }}

),

rules as (

    select * from {{ ref('segment_action_rules') }}

),

conditions as (

    select * from {{ ref('segment_action_conditions') }}

),

metrics as (

    select * from {{ ref('int_segment_metrics_unpivoted') }}

),

evaluated as (

    select
        value_tiers.segment_id,
        rules.rule_id,
        rules.priority,
        conditions.evidence,
        metrics.value_text,
        conditions.metric,
        case
            when conditions.rule_id is null then true
            when conditions.operator = '<' then metrics.value < conditions.threshold
            when conditions.operator = '<=' then metrics.value <= conditions.threshold
            when conditions.operator = '>' then metrics.value > conditions.threshold
            when conditions.operator = '>=' then metrics.value >= conditions.threshold
        end as holds
    from value_tiers
    cross join rules
    left join conditions
        on rules.rule_id = conditions.rule_id
    left join metrics
        on
            value_tiers.segment_id = metrics.segment_id
            and conditions.metric = metrics.metric

),

matched_rules as (

    select
        segment_id,
        rule_id,
        priority,
        string_agg(evidence || ' (' || value_text || ')', ' and ' order by metric) as evidence
    from evaluated
    group by segment_id, rule_id, priority
    -- a metric without a value (null) never holds
    having bool_and(coalesce(holds, false))

),

winning_rules as (

    select
        *,
        row_number() over (partition by segment_id order by priority) as match_rank
    from matched_rules

),

final as (

    select
        value_tiers.segment_id,
        value_tiers.segment_name,
        value_tiers.generated_segment_name,
        value_tiers.value_tier,
        winning_rules.rule_id,
        rules.action,
        case
            when winning_rules.evidence is null then upper(rules.reason[1]) || rules.reason[2:] || '.'
            else 'Because ' || winning_rules.evidence || ': ' || rules.reason || '.'
        end as reason
    from value_tiers
    left join winning_rules
        on value_tiers.segment_id = winning_rules.segment_id and winning_rules.match_rank = 1
    left join rules
        on winning_rules.rule_id = rules.rule_id

)

select * from final

{#- Stops the build with the rule named when the editable action rules cannot work: a condition
    on a metric int_segment_metrics_unpivoted does not have (a typo), a condition of a rule that
    segment_action_rules does not list, or no rule without conditions (a segment could be left
    without an action). Run by segment_actions when it executes, after both seeds and the
    metrics are built. -#}
{% macro check_action_rules(rules, conditions, metrics) %}
    {#- a unit test gives the seeds as fixtures, which are not tables to query -#}
    {%- if not execute or model.resource_type == 'unit_test' -%}{{ return('') }}{%- endif -%}
    {%- set unknown_metrics = run_query(
        "select rule_id, metric from " ~ conditions ~ " where metric not in (select metric from "
        ~ metrics ~ ") order by rule_id, metric") -%}
    {%- for row in unknown_metrics.rows -%}
        {{ exceptions.raise_compiler_error("segment_action_conditions: rule '" ~ row[0] ~ "' tests metric '"
            ~ row[1] ~ "', which is not a metric of int_segment_metrics_unpivoted (z_<feature>, "
            ~ "discount_share, customer_share, revenue_share, value_index, top_category_lift, "
            ~ "rfm_<rfm segment>_share)") }}
    {%- endfor -%}
    {%- set unknown_rules = run_query(
        "select distinct rule_id from " ~ conditions ~ " where rule_id not in (select rule_id from "
        ~ rules ~ ") order by rule_id") -%}
    {%- for row in unknown_rules.rows -%}
        {{ exceptions.raise_compiler_error("segment_action_conditions: rule '" ~ row[0]
            ~ "' has conditions but no row in segment_action_rules") }}
    {%- endfor -%}
    {%- set catch_all = run_query(
        "select count(*) from " ~ rules ~ " where rule_id not in (select rule_id from " ~ conditions ~ ")") -%}
    {%- if catch_all.columns[0].values()[0] == 0 -%}
        {{ exceptions.raise_compiler_error("segment_action_rules: every rule has conditions; keep one rule "
            ~ "without conditions (the last, the highest priority number) so every segment gets an action") }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}

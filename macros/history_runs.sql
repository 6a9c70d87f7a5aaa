{#- Post-hook of the history tables: delete the runs beyond the latest history_max_runs, by
    their build time (one built_at per run_id). -#}
{% macro keep_latest_runs(relation) %}
    delete from {{ relation }}
    where run_id not in (
        select run_id
        from (select distinct run_id, built_at from {{ relation }})
        order by built_at desc, run_id desc
        limit {{ validated_var('history_max_runs') }}
    )
{% endmacro %}


{#- Post-hook of the model store (segment_centroids, feature_scaling): keep only the models of
    runs still in segment_model_runs. -#}
{% macro keep_kept_runs_models(relation) %}
    delete from {{ relation }}
    where model_version not in (select model_version from {{ ref('segment_model_runs') }})
{% endmacro %}


{#- The build's run id and start time (UTC, built_at), as the history tables record them: one definition
    for segment_model_runs and segment_assignment_history. -#}
{% macro run_id() %}'{{ invocation_id }}'{% endmacro %}
{% macro run_built_at() %}cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp){% endmacro %}

{#- Models stored before segment_centroids had variance and mixture_weight were K-Means: unit
    variances and equal weights, written into the columns an upgrade added empty (the same
    values model_store.stored_model_row reads for them when it runs before this hook). -#}
{% macro fill_kmeans_mixture_columns(relation) %}
    update {{ relation }} as stored
    set
        variance = coalesce(stored.variance, 1),
        mixture_weight = coalesce(
            stored.mixture_weight,
            1.0 / (select count(distinct same_model.segment_id) from {{ relation }} as same_model
                where same_model.model_version = stored.model_version)
        )
    where stored.variance is null or stored.mixture_weight is null
{% endmacro %}

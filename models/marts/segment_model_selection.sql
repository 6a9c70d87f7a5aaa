-- The k sweep behind the segmentation: one row per k tried, with its scores and the
-- rule that picked the chosen k.

with

fitted_model as (

    select * from {{ ref('int_segment_models_fitted') }}

),

sweep as (

    select
        fitted_model.model_version,
        fitted_model.k_rule,
        fitted_model.k_rule_explanation,
        unnest(fitted_model.model_selection) as candidate
    from fitted_model

),

final as (

    select
        candidate.k,
        candidate.inertia,
        candidate.silhouette,
        candidate.davies_bouldin,
        candidate.calinski_harabasz,
        candidate.bic,
        candidate.sample_size,
        candidate.silhouette_sample_size,
        candidate.is_elbow,
        candidate.is_best_silhouette,
        candidate.is_chosen,
        case when candidate.is_chosen then sweep.k_rule end as chosen_by_rule,
        case when candidate.is_chosen then sweep.k_rule_explanation end as chosen_because,
        sweep.model_version
    from sweep

)

select * from final

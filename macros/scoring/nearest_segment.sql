{#- Score customers with a stored model, in SQL: each customer's most likely segment in scaled space.

    features:   a relation with customer_id and one column per model feature (original units)
    scaling:    the model store's scalers (feature_scaling: model_version, feature_name,
                feature_position, transform, center, scale)
    centroids:  the model store's centroids (segment_centroids: model_version, segment_id,
                segment_name, feature_name, scaled_value, variance, mixture_weight)
    version:    the model_version to apply

    A customer's segment is the argmin over segments of
        sum over features of (x - centre)^2 / variance + ln(variance), minus 2 ln(mixture_weight):
    the most likely component of a diagonal Gaussian mixture (segmentation_algorithm gmm). K-Means
    and Ward store variance 1 and equal weights, so for them it is the nearest centroid.
    distance_to_centroid is the Euclidean distance to the centre of the segment given.

    Customers without a value for one of the model's features are left out, as in the fit. The
    feature list and the segment ids are read from the store when the model runs; every number
    comes from the store's tables, joined in, never written into the SQL. Only portable SQL is
    used (case, max, least, sign, ln, abs, sqrt and dbt's cross-database type macro), so the
    compiled query runs on the warehouses dbt supports. A tie goes to the lower segment id. -#}
{% macro nearest_segment(features, scaling, centroids, version) %}
    {%- set model_features = [] -%}
    {%- set segment_ids = [] -%}
    {%- if execute -%}
        {%- set scaling_rows = run_query(
            "select feature_name, transform from " ~ scaling ~ " where model_version = '" ~ version
            ~ "' order by feature_position") -%}
        {%- for row in scaling_rows.rows -%}
            {%- do model_features.append({'name': row[0], 'transform': row[1]}) -%}
        {%- endfor -%}
        {%- set segment_rows = run_query(
            "select distinct segment_id from " ~ centroids ~ " where model_version = '" ~ version
            ~ "' order by segment_id") -%}
        {%- for row in segment_rows.rows -%}
            {%- do segment_ids.append(row[0] | int) -%}
        {%- endfor -%}
        {%- if not model_features or not segment_ids -%}
            {{ exceptions.raise_compiler_error("nearest_segment: model_version '" ~ version ~ "' has no "
                ~ ("scaling" if not model_features else "centroids") ~ " in the model store ("
                ~ scaling ~ ", " ~ centroids ~ ")") }}
        {%- endif -%}
    {%- endif -%}

with

model_scaling as (

    select * from {{ scaling }}
    where model_version = '{{ version }}'

),

model_centroids as (

    select * from {{ centroids }}
    where model_version = '{{ version }}'

),

-- one row: every centre, scale and centroid coordinate of the model, as columns
parameters as (

    select
        {%- for feature in model_features %}
            max(case when model_scaling.feature_name = '{{ feature.name }}' then model_scaling.center end)
            as {{ feature.name }}__center,
            max(case when model_scaling.feature_name = '{{ feature.name }}' then model_scaling.scale end)
            as {{ feature.name }}__scale{{ "," if not loop.last }}
        {%- endfor %}
    from model_scaling

),

centroid_coordinates as (

    select
        {%- for segment_id in segment_ids %}
            {%- set outer_loop = loop %}
            {%- for feature in model_features %}
                max(
                    case
                        when
                            model_centroids.segment_id = {{ segment_id }}
                            and model_centroids.feature_name = '{{ feature.name }}'
                            then model_centroids.scaled_value
                    end
                ) as s{{ segment_id }}__{{ feature.name }},
                max(
                    case
                        when
                            model_centroids.segment_id = {{ segment_id }}
                            and model_centroids.feature_name = '{{ feature.name }}'
                            then model_centroids.variance
                    end
                ) as s{{ segment_id }}__{{ feature.name }}__variance,
            {%- endfor %}
            max(
                case when model_centroids.segment_id = {{ segment_id }} then model_centroids.mixture_weight end
            ) as s{{ segment_id }}__weight{{ "," if not outer_loop.last }}
        {%- endfor %}
    from model_centroids

),

segment_names as (

    select distinct
        segment_id,
        segment_name
    from model_centroids

),

scaled as (

    select
        customers.customer_id,
        {%- for feature in model_features %}
            {%- set value = 'cast(customers.' ~ feature.name ~ ' as ' ~ dbt.type_float() ~ ')' %}
            {%- if feature.transform == 'log1p' %}
                {%- set value = 'sign(' ~ value ~ ') * ln(1 + abs(' ~ value ~ '))' %}
            {%- endif %}
            ({{ value }} - parameters.{{ feature.name }}__center) / parameters.{{ feature.name }}__scale
            as {{ feature.name }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ features }} as customers
    cross join parameters
    where
        {%- for feature in model_features %}
            customers.{{ feature.name }} is not null{{ " and" if not loop.last }}
        {%- endfor %}

),

distances as (

    select
        scaled.customer_id,
        {%- for segment_id in segment_ids %}
            {%- set seg = 'centroid_coordinates.s' ~ segment_id ~ '__' %}
            sqrt(
                {%- for feature in model_features %}
                    (scaled.{{ feature.name }} - {{ seg }}{{ feature.name }})
                    * (scaled.{{ feature.name }} - {{ seg }}{{ feature.name }})
                    {{- " +" if not loop.last }}
                {%- endfor %}
            ) as distance_{{ segment_id }},
            (
                {%- for feature in model_features %}
                    (scaled.{{ feature.name }} - {{ seg }}{{ feature.name }})
                    * (scaled.{{ feature.name }} - {{ seg }}{{ feature.name }})
                    / {{ seg }}{{ feature.name }}__variance
                    + ln({{ seg }}{{ feature.name }}__variance) +
                {%- endfor %}
                -2 * ln({{ seg }}weight)
            ) as score_{{ segment_id }}{{ "," if not loop.last }}
        {%- endfor %}
    from scaled
    cross join centroid_coordinates

),

chosen as (

    select
        customer_id,
        {%- for segment_id in segment_ids %}
            distance_{{ segment_id }},
        {%- endfor %}
        case
            {%- for segment_id in segment_ids %}
                {%- if not loop.last %}
                    when score_{{ segment_id }} = least(
                        {%- for other in segment_ids %}score_{{ other }}{{ ", " if not loop.last }}{% endfor -%}
                    ) then {{ segment_id }}
                {%- else %}
                    else {{ segment_id }}
                {%- endif %}
            {%- endfor %}
        end as segment_id
    from distances

),

nearest as (

    select
        customer_id,
        segment_id,
        case
            {%- for segment_id in segment_ids %}
                {%- if not loop.last %}
                    when segment_id = {{ segment_id }} then distance_{{ segment_id }}
                {%- else %}
                    else distance_{{ segment_id }}
                {%- endif %}
            {%- endfor %}
        end as distance_to_centroid
    from chosen

)

select
    nearest.customer_id,
    cast(nearest.segment_id as {{ dbt.type_bigint() }}) as segment_id,
    segment_names.segment_name,
    nearest.distance_to_centroid
from nearest
inner join segment_names
    on nearest.segment_id = segment_names.segment_id
{% endmacro %}


{#- The model_version int_segment_models_fitted holds (this build's fit, or in score mode the
    stored model it loaded), read when the calling model runs. -#}
{% macro fitted_model_version() %}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {{ return(run_query("select model_version from " ~ ref('int_segment_models_fitted')).columns[0].values()[0]) }}
{% endmacro %}

{#- An RFM segment map (seeds/rfm_segments.csv: one row per segment with inclusive score ranges
    r_min..r_max, f_min..f_max, m_min..m_max) gives every one of the 125 (R, F, M) score cells
    exactly one segment, so every scored customer gets one name. Fails with one row per cell
    that no row covers (n_segments 0) or that several rows cover (naming them), e.g. after an
    edit of the seed that leaves a gap or an overlap. -#}
{% test rfm_cells_covered_once(model) %}

with

scores as (
    select range as score
    from range(1, 6)
),

cells as (
    select
        r.score as r_score,
        f.score as f_score,
        m.score as m_score
    from scores as r
    cross join scores as f
    cross join scores as m
),

covered as (
    select
        cast(cells.r_score as varchar) || cast(cells.f_score as varchar) || cast(cells.m_score as varchar)
            as rfm_cell,
        count(segments.rfm_segment) as n_segments,
        string_agg(segments.rfm_segment, ', ' order by segments.rfm_segment) as rfm_segments
    from cells
    left join {{ model }} as segments
        on
            cells.r_score between segments.r_min and segments.r_max
            and cells.f_score between segments.f_min and segments.f_max
            and cells.m_score between segments.m_min and segments.m_max
    group by cells.r_score, cells.f_score, cells.m_score
)

select rfm_cell, n_segments, rfm_segments
from covered
where n_segments != 1

{% endtest %}

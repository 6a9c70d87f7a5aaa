{#- Map the many spellings of a gender code onto female / male / other / unknown.
    Unrecognised or empty codes become 'unknown': gender is descriptive only, never a feature. -#}
{% macro normalize_gender(column) %}
    case
        when lower(trim({{ column }})) in ('f', 'female', 'w', 'woman', 'women') then 'female'
        when lower(trim({{ column }})) in ('m', 'male', 'man', 'men') then 'male'
        when lower(trim({{ column }})) in ('x', 'o', 'other', 'non-binary', 'nonbinary', 'diverse') then 'other'
        else 'unknown'
    end
{%- endmacro %}

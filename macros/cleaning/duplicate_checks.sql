{#- The two columns that find duplicates, for a relation with raw_row and normalized_record:
    copy_number > 1 marks a copy of a record already seen (after trimming and normalising),
    versions_of_id > 1 marks an id given with different attributes. -#}
{% macro duplicate_checks(relation, key_column) %}
        -- copies of one record (after trimming and normalising): keep one, quarantine the rest
        row_number() over (
            partition by {{ relation }}.{{ key_column }}, {{ relation }}.normalized_record
            order by {{ relation }}.raw_row
        ) as copy_number,
        -- the same id with different attributes: no way to tell which is right
        count(distinct {{ relation }}.normalized_record) over (
            partition by {{ relation }}.{{ key_column }}
        ) as versions_of_id
{%- endmacro %}

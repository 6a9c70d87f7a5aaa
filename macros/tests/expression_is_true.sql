{#- Every row satisfies a boolean SQL expression written in the model's YAML. -#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where not coalesce(({{ expression }}), false)

{% endtest %}

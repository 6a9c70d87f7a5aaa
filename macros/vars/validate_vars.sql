{#- Checking vars against var_specs(): before any model runs (the on-run-start hook
    validate_vars) and wherever SQL reads a var (validated_var), so that a bad value
    stops dbt with one line naming the var, its value and what is expected. -#}

{#- The on-run-start hook: every var passed with --vars must be known, every var must fit
    its spec, then the cross-var rules. All problems are reported, one line each. -#}
{% macro validate_vars() %}
    {%- if execute -%}
        {%- set errors = var_errors(invocation_args_dict.get('vars') or {}) -%}
        {%- if errors -%}
            {{ exceptions.raise_compiler_error(errors | join('\n')) }}
        {%- endif -%}
        {%- for name, spec in var_specs().items() if spec.replaced_by and var(name) -%}
            {%- do exceptions.warn('var ' ~ name ~ ' is deprecated: use ' ~ spec.replaced_by ~ ': ' ~ spec.replaced_value) -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}

{#- The value of one var, checked against its spec (for SQL: dbt compile and dbt show run no hooks). -#}
{% macro validated_var(name) %}
    {%- if not execute -%}
        {#- Parsing only renders SQL, never runs it; the hook reports bad vars all together. -#}
        {{ return(var(name)) }}
    {%- endif -%}
    {%- set specs = var_specs() -%}
    {%- if name not in specs -%}
        {{ exceptions.raise_compiler_error(unknown_var_error(name, specs)) }}
    {%- endif -%}
    {%- set error = var_value_error(name, var(name), specs[name]) -%}
    {%- if error -%}
        {{ exceptions.raise_compiler_error(error) }}
    {%- endif -%}
    {{ return(var(name)) }}
{% endmacro %}

{#- Every problem with the vars, as a list of one-line messages. -#}
{% macro var_errors(cli_vars) %}
    {%- set specs = var_specs() -%}
    {%- set errors = [] -%}
    {%- for name in cli_vars if name not in specs -%}
        {%- do errors.append(unknown_var_error(name, specs)) -%}
    {%- endfor -%}
    {%- for name, spec in specs.items() -%}
        {%- if not var.has_var(name) -%}
            {%- do errors.append('var ' ~ name ~ ' has no default in the vars of dbt_project.yml') -%}
        {%- else -%}
            {%- set error = var_value_error(name, var(name), spec) -%}
            {%- if error -%}{%- do errors.append(error) -%}{%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not errors -%}
        {%- for name, spec in specs.items() -%}
            {%- set value = var(name) -%}
            {%- if spec.min_var and value < var(spec.min_var) -%}
                {%- do errors.append('var ' ~ name ~ ' (' ~ value ~ ') must not be below ' ~ spec.min_var ~ ' (' ~ var(spec.min_var) ~ ')') -%}
            {%- endif -%}
            {%- if spec.max_var and value > var(spec.max_var) -%}
                {%- do errors.append('var ' ~ name ~ ' (' ~ value ~ ') must not be above ' ~ spec.max_var ~ ' (' ~ var(spec.max_var) ~ ')') -%}
            {%- endif -%}
            {#- only a replacement the user passed too can contradict it; its default cannot -#}
            {%- set passed = invocation_args_dict.get('vars') or {} -%}
            {%- if spec.replaced_by and value and spec.replaced_by in passed
                and passed[spec.replaced_by] not in ['none', spec.replaced_value] -%}
                {%- do errors.append('var ' ~ name ~ ' (true) conflicts with ' ~ spec.replaced_by ~ ' (' ~ var_repr(var(spec.replaced_by)) ~ '): ' ~ name ~ ' is deprecated, set only ' ~ spec.replaced_by) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(errors) }}
{% endmacro %}

{% macro unknown_var_error(name, specs) %}
    {%- set guess = closest_name(name | string, specs.keys() | list) -%}
    {%- if guess -%}
        {{ return("unknown var '" ~ name ~ "': did you mean '" ~ guess ~ "'?") }}
    {%- endif -%}
    {{ return("unknown var '" ~ name ~ "': not a var of this project (see the README, Configuration)") }}
{% endmacro %}

{#- The message for a value that does not fit its spec, or '' when it fits. -#}
{% macro var_value_error(name, value, spec) %}
    {%- set type = spec.type -%}
    {%- set re = modules.re -%}
    {%- set ok = namespace(value=true) -%}
    {%- if type == 'int' -%}
        {%- set ok.value = value is integer and not (value in (spec.excluded or [])) -%}
    {%- elif type == 'number' -%}
        {#- NaN differs from itself; infinity is above the largest float. -#}
        {%- set ok.value = (value is integer or value is float) and value == value
            and (value | abs) <= 1.7976931348623157e308 -%}
    {%- elif type == 'bool' -%}
        {%- set ok.value = value is boolean -%}
    {%- elif type == 'string' -%}
        {%- set ok.value = value is string and (not spec.pattern or modules.re.fullmatch(spec.pattern, value)) -%}
    {%- elif type == 'choice' -%}
        {%- set ok.value = value is string and value in spec.choices -%}
    {%- elif type == 'mapping' -%}
        {%- set ok.value = value is mapping -%}
        {%- for key, item in (value.items() if value is mapping else []) -%}
            {%- if not (key is string and item is string) -%}{%- set ok.value = false -%}{%- endif -%}
        {%- endfor -%}
    {%- elif type == 'date' -%}
        {%- set ok.value = (spec.nullable and (value is none or value | string | trim == ''))
            or (value is not none and is_iso_date(value | string | trim)) -%}
    {%- elif type == 'list' -%}
        {%- if value is string -%}
            {%- set ok.value = value in (spec.or_choices or []) -%}
        {%- elif value is iterable and value is not mapping and value | length > 0 -%}
            {%- for item in value -%}
                {%- if not (item is string and re.match(spec.item_pattern, item)) -%}
                    {{ return('var ' ~ name ~ ': ' ~ var_repr(item) ~ ' is not a lowercase column name') }}
                {%- endif -%}
            {%- endfor -%}
            {%- if value | unique | list | length != value | length -%}
                {{ return('var ' ~ name ~ ': a feature is listed twice in ' ~ var_repr(value)) }}
            {%- endif -%}
        {%- else -%}
            {%- set ok.value = false -%}
        {%- endif -%}
    {%- endif -%}
    {%- if ok.value and type in ['int', 'number'] -%}
        {%- set low, high = spec.get('min'), spec.get('max') -%}
        {%- set ok.value = (low is none or value > low or (value == low and not spec.get('min_exclusive')))
            and (high is none or value <= high) -%}
    {%- endif -%}
    {%- if ok.value -%}
        {{ return('') }}
    {%- endif -%}
    {%- set message = 'var ' ~ name ~ ': expected ' ~ (spec.expected or var_expectation(spec)) ~ ', got ' ~ var_repr(value) -%}
    {%- if type == 'choice' and value is string -%}
        {%- set guess = closest_name(value, spec.choices) -%}
        {%- if guess -%}{%- set message = message ~ " (did you mean '" ~ guess ~ "'?)" -%}{%- endif -%}
    {%- endif -%}
    {{ return(message) }}
{% endmacro %}

{#- "a whole number from 0 to 4294967295", "one of 'standard', 'robust'", ... from a spec. -#}
{% macro var_expectation(spec) %}
    {%- set kinds = {
        'int': 'a whole number', 'number': 'a number', 'bool': 'true or false', 'string': 'text',
        'mapping': 'a mapping of canonical column name to your header, e.g. {customer_id: "Cust No"}',
        'date': 'a date as YYYY-MM-DD', 'list': 'a list'} -%}
    {%- if spec.type == 'choice' -%}
        {%- set quoted = [] -%}
        {%- for choice in spec.choices -%}{%- do quoted.append(var_repr(choice)) -%}{%- endfor -%}
        {{ return('one of ' ~ quoted | join(', ')) }}
    {%- endif -%}
    {%- set text, low, high = kinds[spec.type], spec.get('min'), spec.get('max') -%}
    {%- if low is not none and high is not none -%}
        {%- set text = text ~ ' from ' ~ low ~ ' to ' ~ high -%}
    {%- elif low is not none -%}
        {%- set text = text ~ (' above ' if spec.get('min_exclusive') else ' of at least ') ~ low -%}
    {%- elif high is not none -%}
        {%- set text = text ~ ' of at most ' ~ high -%}
    {%- endif -%}
    {%- if spec.min_var -%}{%- set text = text ~ ', not below ' ~ spec.min_var -%}{%- endif -%}
    {%- if spec.max_var -%}{%- set text = text ~ ', not above ' ~ spec.max_var -%}{%- endif -%}
    {{ return(text) }}
{% endmacro %}

{#- A value as the user would type it in --vars: 'text', null, true, 5. -#}
{% macro var_repr(value) %}
    {%- if value is none -%}{{ return('null') }}
    {%- elif value is boolean -%}{{ return('true' if value else 'false') }}
    {%- elif value is string -%}{{ return("'" ~ value ~ "'") }}
    {%- elif value is mapping or value is number -%}{{ return(value | string) }}
    {%- elif value is iterable -%}
        {%- set items = [] -%}
        {%- for item in value -%}{%- do items.append(var_repr(item)) -%}{%- endfor -%}
        {{ return('[' ~ items | join(', ') ~ ']') }}
    {%- endif -%}
    {{ return(value | string) }}
{% endmacro %}

{#- YYYY-MM-DD naming a real calendar day. -#}
{% macro is_iso_date(text) %}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}{{ return(false) }}{%- endif -%}
    {%- set year, month, day = text[0:4] | int, text[5:7] | int, text[8:10] | int -%}
    {%- set leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}
    {%- set days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
    {{ return(1 <= month <= 12 and 1 <= day <= days[month - 1]) }}
{% endmacro %}

{#- The candidate nearest to name by edit distance, if it is close enough to be a typo. -#}
{% macro closest_name(name, candidates) %}
    {%- set best = namespace(name=none, distance=999) -%}
    {%- for candidate in candidates -%}
        {%- set distance = edit_distance(name, candidate) -%}
        {%- if distance < best.distance -%}
            {%- set best.name, best.distance = candidate, distance -%}
        {%- endif -%}
    {%- endfor -%}
    {#- One edit in three is a typo; more, or the whole word changed, is another name. -#}
    {{ return(best.name if best.distance <= [1, (name | length) // 3] | max and best.distance < name | length else none) }}
{% endmacro %}

{#- Levenshtein distance (insertions, deletions, substitutions), row by row. -#}
{% macro edit_distance(a, b) %}
    {%- set previous = namespace(row=range(b | length + 1) | list) -%}
    {%- for i in range(a | length) -%}
        {%- set current = [i + 1] -%}
        {%- for j in range(b | length) -%}
            {%- do current.append([previous.row[j + 1] + 1, current[j] + 1, previous.row[j] + (0 if a[i] == b[j] else 1)] | min) -%}
        {%- endfor -%}
        {%- set previous.row = current -%}
    {%- endfor -%}
    {{ return(previous.row[-1]) }}
{% endmacro %}

{#- dbt run-operation print_vars [--vars ...]: every var, its value in this run, what it may be and
    what it does. With --args '{as_json: true}' the registry as JSON (the tests read it). -#}
{% macro print_vars(as_json=false) %}
    {%- set specs = var_specs() -%}
    {%- if as_json -%}
        {%- set registry = {} -%}
        {%- for name, spec in specs.items() -%}
            {%- do registry.update({name: {'value': var(name), 'spec': spec}}) -%}
        {%- endfor -%}
        {%- do print(tojson(registry)) -%}
    {%- else -%}
        {%- for name, spec in specs.items() -%}
            {%- do print(name ~ ' = ' ~ var_repr(var(name)) ~ '  # ' ~ spec.description ~ '; ' ~ (spec.expected or var_expectation(spec))) -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}

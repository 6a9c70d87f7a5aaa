{#- Where each raw input comes from. The sources `shop.customers` and `shop.orders` are views in
    the `inputs` schema that this on-run-start hook (re)creates from the path vars, over DuckDB's
    own readers: read_csv (delimiter, quoting and encoding detected by DuckDB, every value read as
    text so that staging types it with try_cast and a bad value becomes a quarantine row),
    read_parquet, a table of the project database, or a table of another DuckDB file.
    With neither path set, the bundled demo CSVs are read the same way. Every problem with a
    whole input stops the run here, with one line naming the var. -#}

{% macro input_path_var(entity) %}{{ return(entity ~ '_path') }}{% endmacro %}


{#- none (the input is absent), demo, csv, parquet, table or duckdb_file, with its location. -#}
{% macro input_location(entity) %}
    {%- set value = (validated_var(input_path_var(entity)) or '') | string | trim -%}
    {%- set other = (validated_var(input_path_var('orders' if entity == 'customers' else 'customers')) or '') | string | trim -%}
    {%- set identifier = '[A-Za-z_][A-Za-z0-9_]*' -%}
    {%- set table_name = identifier ~ '(\\.' ~ identifier ~ '){0,2}' -%}
    {%- set re = modules.re -%}
    {%- if value == '' -%}
        {%- if other == '' -%}
            {{ return({'kind': 'demo', 'path': env_var('SEGMENTATION_PROJECT_DIR', '.') ~ '/seeds/raw_' ~ entity ~ '.csv'}) }}
        {%- endif -%}
        {{ return({'kind': 'none'}) }}
    {%- endif -%}
    {%- set duckdb_file = re.match('^(.+\\.duckdb):(' ~ table_name ~ ')$', value) -%}
    {%- if duckdb_file -%}
        {{ return({'kind': 'duckdb_file', 'path': duckdb_file.group(1), 'table': duckdb_file.group(2)}) }}
    {%- endif -%}
    {%- set lowered = value | lower -%}
    {%- if re.match('.*\\.(csv|tsv|txt)(\\.gz)?$', lowered) -%}
        {{ return({'kind': 'csv', 'path': value}) }}
    {%- elif re.match('.*\\.(parquet|pq)$', lowered) -%}
        {{ return({'kind': 'parquet', 'path': value}) }}
    {%- elif re.match('^' ~ table_name ~ '$', value)
        and not re.match('.*\\.(xlsx|xls|ods|json|jsonl|ndjson|xml|zip|gz|duckdb)$', lowered) -%}
        {{ return({'kind': 'table', 'table': value}) }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        input_path_var(entity) ~ ": cannot tell the format of '" ~ value ~ "'; expected a path ending in "
        ~ ".csv, .tsv, .txt (optionally .gz), .parquet or .pq, a glob of such files, a table name, "
        ~ "or file.duckdb:table") }}
{% endmacro %}


{#- How messages name an input: the var and the file or table it points at. -#}
{% macro input_label(entity) %}
    {%- set location = input_location(entity) -%}
    {%- if location.kind == 'demo' -%}
        {{ return("the demo " ~ entity ~ " ('seeds/raw_" ~ entity ~ ".csv')") }}
    {%- elif location.kind == 'duckdb_file' -%}
        {{ return(input_path_var(entity) ~ " ('" ~ location.path ~ ":" ~ location.table ~ "')") }}
    {%- else -%}
        {{ return(input_path_var(entity) ~ " ('" ~ (location.path or location.table) ~ "')") }}
    {%- endif -%}
{% endmacro %}


{% macro sql_string(value) %}{{ return("'" ~ (value | string | replace("'", "''")) ~ "'") }}{% endmacro %}


{#- A file path as DuckDB should read it: a name that exists as written is used literally, even
    when it holds glob characters (orders[1].csv); otherwise it is a glob. Stops when nothing matches. -#}
{% macro existing_path(entity, path) %}
    {%- set re = modules.re -%}
    {%- set literal = re.sub('([\\[*?])', '[\\1]', path) -%}
    {%- if run_query('select count(*) from glob(' ~ sql_string(literal) ~ ')').columns[0].values()[0] > 0 -%}
        {{ return({'path': literal, 'is_glob': false}) }}
    {%- endif -%}
    {%- set is_glob = re.search('[\\[*?]', path) is not none -%}
    {%- if is_glob and run_query('select count(*) from glob(' ~ sql_string(path) ~ ')').columns[0].values()[0] > 0 -%}
        {{ return({'path': path, 'is_glob': true}) }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        input_path_var(entity) ~ ": " ~ ("no file matches the glob '" if is_glob else "file '") ~ path
        ~ ("'" if is_glob else "' does not exist")) }}
{% endmacro %}


{#- DuckDB's sniffer reads a file with ragged rows as one column named like the whole header.
    Then read it again with the header's delimiter and DuckDB's reject store, and stop naming
    the first line that does not fit. -#}
{% macro diagnose_unsplit_header(entity, path) %}
    {%- set first_file = run_query('select file from glob(' ~ sql_string(path) ~ ') order by file limit 1').rows[0][0] -%}
    {%- set sniffed = run_query('select len(Columns), Columns[1].name from sniff_csv(' ~ sql_string(first_file)
        ~ ', header = true, skip = 0, strict_mode = true, null_padding = false)').rows[0] -%}
    {%- if sniffed[0] != 1 -%}{{ return(none) }}{%- endif -%}
    {%- set header = sniffed[1] -%}
    {%- set ns = namespace(delimiter=none, count=0) -%}
    {%- for candidate in [',', ';', '\t', '|'] -%}
        {%- set character = '\t' if candidate == '\t' else candidate -%}
        {%- if header.count(character) > ns.count -%}
            {%- set ns.delimiter, ns.count = candidate, header.count(character) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if ns.delimiter is none -%}{{ return(none) }}{%- endif -%}
    {%- set columns = [] -%}
    {%- for i in range(ns.count + 1) -%}{%- do columns.append("'c" ~ i ~ "': 'varchar'") -%}{%- endfor -%}
    {%- do run_query('select count(*) from read_csv(' ~ sql_string(first_file) ~ ", delim = '" ~ ns.delimiter
        ~ "', quote = '\"', escape = '\"', header = true, skip = 0, auto_detect = false, columns = {"
        ~ columns | join(', ') ~ "}, store_rejects = true, rejects_table = 'input_rejects', "
        ~ "rejects_scan = 'input_reject_scans')") -%}
    {%- set rejects = run_query('select line, error_message, csv_line from input_rejects order by line limit 1').rows -%}
    {%- if rejects -%}
        {{ exceptions.raise_compiler_error(
            input_path_var(entity) ~ ": file '" ~ first_file ~ "' line " ~ rejects[0][0] ~ ": " ~ rejects[0][1]
            ~ " for the header's " ~ (ns.count + 1) ~ " fields separated by '" ~ ns.delimiter ~ "' (" ~ rejects[0][2] ~ ")") }}
    {%- endif -%}
{% endmacro %}


{#- The SQL that reads one input, or none when it is absent. -#}
{% macro input_reader_sql(entity) %}
    {%- set location = input_location(entity) -%}
    {%- if location.kind == 'none' -%}
        {{ return(none) }}
    {%- elif location.kind in ('csv', 'demo') -%}
        {%- set file = existing_path(entity, location.path) -%}
        {%- set empty = run_query('select count(*) from read_blob(' ~ sql_string(file.path) ~ ') where size = 0').columns[0].values()[0] -%}
        {%- if empty > 0 -%}
            {{ exceptions.raise_compiler_error(input_label(entity) ~ ": the file is empty; expected a header row and data rows") }}
        {%- endif -%}
        {%- do diagnose_unsplit_header(entity, file.path) -%}
        {#- header, skip and strict mode fixed: a malformed file must fail, never lose rows silently -#}
        {{ return("select * from read_csv(" ~ sql_string(file.path) ~ ", all_varchar = true, header = true, skip = 0, "
            ~ "strict_mode = true, null_padding = false, union_by_name = " ~ file.is_glob ~ ")") }}
    {%- elif location.kind == 'parquet' -%}
        {%- set file = existing_path(entity, location.path) -%}
        {{ return("select * from read_parquet(" ~ sql_string(file.path) ~ ", union_by_name = " ~ file.is_glob ~ ")") }}
    {%- elif location.kind == 'duckdb_file' -%}
        {%- set alias = 'input_' ~ entity ~ '_database' -%}
        {%- if not run_query('select count(*) from glob(' ~ sql_string(location.path) ~ ')').columns[0].values()[0] -%}
            {{ exceptions.raise_compiler_error(input_path_var(entity) ~ ": DuckDB file '" ~ location.path ~ "' does not exist") }}
        {%- endif -%}
        {% do run_query('detach database if exists ' ~ alias) %}
        {% do run_query('attach ' ~ sql_string(location.path) ~ ' as ' ~ alias ~ ' (read_only)') %}
        {{ return('select * from ' ~ alias ~ '.' ~ location.table) }}
    {%- else -%}
        {%- set model_names = [] -%}
        {%- for node in graph.nodes.values() if node.resource_type in ('model', 'seed') -%}
            {%- do model_names.append(node.name | lower) -%}
        {%- endfor -%}
        {%- set table = location.table.split('.')[-1] | lower -%}
        {%- if table in model_names -%}
            {{ exceptions.raise_compiler_error(
                input_path_var(entity) ~ ": the table '" ~ location.table ~ "' has the name of this project's model '"
                ~ table ~ "', which the build would overwrite. Copy it under another name first, e.g. "
                ~ "create table my_" ~ table ~ " as from " ~ location.table ~ ", and point " ~ input_path_var(entity) ~ " at that") }}
        {%- endif -%}
        {{ return('select * from ' ~ location.table) }}
    {%- endif -%}
{% endmacro %}


{#- on-run-start: (re)create the two input views the `shop` source points at. An absent input is
    an empty view with the required columns, so every model can read it the same way. -#}
{% macro create_input_views() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {% do run_query('create schema if not exists inputs') %}
    {%- for entity in ('customers', 'orders') -%}
        {%- set reader = input_reader_sql(entity) -%}
        {%- if reader is none -%}
            {%- set columns = [] -%}
            {%- for spec in input_column_specs(entity) if spec.get('required') or spec.name == 'amount' -%}
                {%- do columns.append('cast(null as varchar) as ' ~ spec.name) -%}
            {%- endfor -%}
            {%- set reader = 'select ' ~ columns | join(', ') ~ ' where false' -%}
        {%- endif -%}
        {% do run_query('create or replace view inputs.' ~ entity ~ ' as ' ~ reader) %}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}


{#- Whether the user's run has this input at all (the demo counts as having both). -#}
{% macro input_is_present(entity) %}
    {{ return(input_location(entity).kind != 'none') }}
{% endmacro %}

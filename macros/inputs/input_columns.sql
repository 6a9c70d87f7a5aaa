{#- The canonical input columns of each source and the header spellings recognised for each
    without a mapping var. Headers are compared after lowercasing and dropping everything but
    letters and digits ('Annual Income (k$)' -> 'annualincomek'). This is the one definition:
    the staging models, the column-resolution errors and the README table all come from here. -#}
{% macro input_column_specs(entity) %}
    {%- set specs = {
        'customers': [
            {'name': 'customer_id', 'required': true,
             'aliases': ['customerid', 'custid', 'clientid', 'customerno', 'customernumber', 'id']},
            {'name': 'gender', 'aliases': ['gender', 'genre', 'sex']},
            {'name': 'age', 'aliases': ['age', 'ageyears']},
            {'name': 'birth_year', 'aliases': ['birthyear', 'yearbirth', 'yearofbirth', 'yob']},
            {'name': 'birth_date', 'aliases': ['birthdate', 'dateofbirth', 'dob', 'birthday']},
            {'name': 'annual_income',
             'aliases': ['annualincome', 'annualincomek', 'annualincomekusd', 'income', 'incomek']},
            {'name': 'spending_score', 'aliases': ['spendingscore', 'spendingscore1100', 'spendscore']},
            {'name': 'credit_score', 'aliases': ['creditscore', 'fico', 'ficoscore']},
            {'name': 'card_type', 'aliases': ['cardtype', 'card', 'cardbrand', 'paymentcard']},
            {'name': 'region', 'aliases': ['region', 'city', 'state', 'area']},
            {'name': 'signup_date',
             'aliases': ['signupdate', 'signedup', 'signedupat', 'joindate', 'joinedat', 'createdat',
                         'customersince', 'dtcustomer']},
        ],
        'orders': [
            {'name': 'order_id',
             'aliases': ['orderid', 'invoiceno', 'invoice', 'invoiceid', 'invoicenumber', 'transactionid', 'orderno']},
            {'name': 'customer_id', 'required': true,
             'aliases': ['customerid', 'custid', 'clientid', 'customerno', 'customernumber', 'customer']},
            {'name': 'ordered_at', 'required': true,
             'aliases': ['orderedat', 'orderdate', 'ordertimestamp', 'orderdatetime', 'date', 'datetime',
                         'timestamp', 'invoicedate', 'transactiondate', 'purchasedate', 'purchasedat']},
            {'name': 'amount',
             'aliases': ['amount', 'orderamount', 'total', 'ordertotal', 'revenue', 'sales', 'value',
                         'totalamount', 'lineamount', 'linetotal']},
            {'name': 'quantity', 'aliases': ['quantity', 'qty', 'units', 'quantityordered']},
            {'name': 'unit_price', 'aliases': ['unitprice', 'price', 'priceeach', 'itemprice']},
            {'name': 'product_id', 'aliases': ['productid', 'stockcode', 'sku', 'itemid', 'productcode']},
            {'name': 'product_category', 'aliases': ['productcategory', 'category', 'productline']},
            {'name': 'is_discounted', 'aliases': ['isdiscounted', 'discounted', 'discountapplied', 'hasdiscount']},
        ],
    } -%}
    {{ return(specs[entity]) }}
{% endmacro %}


{#- 'Annual Income (k$)' -> 'annualincomek' -#}
{% macro normalize_header(name) %}
    {{ return(modules.re.sub('[^a-z0-9]', '', name | lower)) }}
{% endmacro %}


{#- {canonical name: the input's own column name} for one source, from its columns, the mapping
    var (<entity>_columns) and the known spellings. Stops the run, naming the var and listing the
    input's columns, when a mapping is wrong, a column is ambiguous or a required one is missing. -#}
{% macro resolve_input_columns(entity) %}
    {%- set relation = source('shop', entity) -%}
    {%- set header = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
    {%- set label = input_label(entity) -%}
    {%- set specs = input_column_specs(entity) -%}
    {%- set known = specs | map(attribute='name') | list -%}
    {%- set mapping_var = entity ~ '_columns' -%}
    {%- set explicit = validated_var(mapping_var) or {} -%}
    {%- if explicit is not mapping -%}
        {{ exceptions.raise_compiler_error(mapping_var ~ ": expected a mapping like {customer_id: 'Cust No'}, got " ~ explicit) }}
    {%- endif -%}
    {%- set resolved = {} -%}
    {%- for canonical, column in explicit.items() -%}
        {%- if canonical not in known -%}
            {{ exceptions.raise_compiler_error(mapping_var ~ ": unknown column '" ~ canonical ~ "'; expected one of " ~ known) }}
        {%- endif -%}
        {%- if column not in header -%}
            {{ exceptions.raise_compiler_error(label ~ ": mapped column '" ~ column ~ "' (for " ~ canonical ~ ") is not in the input; its columns are " ~ header) }}
        {%- endif -%}
        {%- do resolved.update({canonical: column}) -%}
    {%- endfor -%}
    {%- for spec in specs if spec.name not in resolved -%}
        {%- set spellings = [normalize_header(spec.name)] + spec.aliases -%}
        {%- set taken = resolved.values() | list -%}
        {%- set candidates = [] -%}
        {%- for column in header if column not in taken and normalize_header(column) in spellings -%}
            {%- do candidates.append(column) -%}
        {%- endfor -%}
        {%- if candidates | length > 1 -%}
            {{ exceptions.raise_compiler_error(label ~ ": columns " ~ candidates ~ " could all be " ~ spec.name ~ "; choose one with the " ~ mapping_var ~ " var") }}
        {%- elif candidates -%}
            {%- do resolved.update({spec.name: candidates[0]}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set missing = [] -%}
    {%- for spec in specs if spec.get('required') and spec.name not in resolved -%}
        {%- do missing.append(spec.name) -%}
    {%- endfor -%}
    {%- if entity == 'orders' and 'amount' not in resolved and not ('quantity' in resolved and 'unit_price' in resolved) -%}
        {%- do missing.append('amount (or quantity and unit_price)') -%}
    {%- endif -%}
    {%- if missing -%}
        {%- set hint = " DuckDB read a single column: the delimiter could not be detected, often because rows have different numbers of fields." if header | length == 1 else "" -%}
        {{ exceptions.raise_compiler_error(label ~ ": required column(s) " ~ missing ~ " not found; its columns are " ~ header ~ ". Map them with the " ~ mapping_var ~ " var." ~ hint) }}
    {%- endif -%}
    {{ return(resolved) }}
{% endmacro %}


{#- The column's SQL reference in the source, or a typed null when the input lacks it. -#}
{% macro input_column(columns, name) %}
    {%- if name in columns -%}
        {{ return('cast(' ~ adapter.quote(columns[name]) ~ ' as varchar)') }}
    {%- else -%}
        {{ return('cast(null as varchar)') }}
    {%- endif -%}
{% endmacro %}

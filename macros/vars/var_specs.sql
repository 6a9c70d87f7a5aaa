{#- The type and valid values of every project var, written once.

    Defaults live in dbt_project.yml `vars:`; this says what each var may hold. The
    on-run-start hook validate_vars() checks every var against it before any model runs,
    and validated_var(name) checks one var where SQL uses it.

    type:     int | number | bool | string | list | mapping | date | choice
    pattern:  a regular expression a string var must match in full
    min, max: bounds for int and number (min_exclusive: the bound itself is not allowed)
    min_var, max_var: another var this one must not be below / above (cross-var rules)
    choices:  the values a choice var accepts
    expected: the wording of "expected ..." when the generic one would mislead
    replaced_by, replaced_value: a deprecated bool var: true means <replaced_by>: <replaced_value>
-#}
{% macro var_specs() %}
    {%- set column_name = '^[a-z_][a-z0-9_]*$' -%}
    {{ return({
        'customers_path': {
            'type': 'string',
            'description': "customers input: CSV, Parquet, glob, table or file.duckdb:table; '' = the demo seed"},
        'orders_path': {
            'type': 'string',
            'description': "orders input, same forms as customers_path; '' = the demo seed"},
        'customers_columns': {
            'type': 'mapping',
            'description': 'column mapping for the customers input: canonical name -> your header'},
        'orders_columns': {
            'type': 'mapping',
            'description': 'column mapping for the orders input: canonical name -> your header'},
        'customers_date_format': {
            'type': 'string',
            'description': "strptime format of the customers' dates, e.g. '%d/%m/%Y'; '' = detect"},
        'orders_date_format': {
            'type': 'string',
            'description': "strptime format of the orders' dates; '' = detect"},
        'customers_decimal_separator': {
            'type': 'choice', 'choices': ['auto', '.', ','],
            'description': "decimal separator of the customers' numbers; auto = detect"},
        'orders_decimal_separator': {
            'type': 'choice', 'choices': ['auto', '.', ','],
            'description': "decimal separator of the orders' numbers; auto = detect"},
        'income_unit': {
            'type': 'choice', 'choices': ['auto', 'units', 'thousands'],
            'description': 'unit of annual_income in the input: units or thousands; auto = detect'},
        'orders_cancellation_prefix': {
            'type': 'string',
            'description': "an order id starting with this marks a cancellation; '' = none"},
        'orders_identical_rows': {
            'type': 'choice', 'choices': ['separate_orders', 'duplicates'],
            'description': 'identical order rows when the input has no order id: separate orders or duplicates'},
        'max_rejected_share': {
            'type': 'number', 'min': 0, 'max': 1,
            'description': 'the build fails when a larger share of an input is quarantined'},
        'as_of_date': {
            'type': 'date', 'nullable': true,
            'expected': 'a date as YYYY-MM-DD, or null for the day after the last clean order',
            'description': 'date the features are measured at; null = the day after the last clean order'},
        'segment_features': {
            'type': 'list', 'item_pattern': column_name, 'or_choices': ['auto'],
            'expected': "'auto' or a list of column names of int_customers_features_joined",
            'description': 'features to cluster on; auto = picked by the data shape'},
        'segmentation_algorithm': {
            'type': 'choice', 'choices': ['kmeans', 'gmm', 'agglomerative'],
            'description': 'the algorithm that assigns the segments: K-Means, a diagonal Gaussian mixture (k by BIC) or Ward on a sample'},
        'n_clusters': {
            'type': 'int', 'min': 0, 'excluded': [1], 'max_var': 'fit_sample_threshold',
            'expected': 'a whole number: 0 (choose k automatically) or at least 2',
            'description': 'number of segments; 0 = choose k automatically'},
        'k_min': {
            'type': 'int', 'min': 2,
            'description': 'smallest k tried when choosing automatically'},
        'k_max': {
            'type': 'int', 'min': 2, 'min_var': 'k_min',
            'description': 'largest k tried when choosing automatically'},
        'scaler': {
            'type': 'choice', 'choices': ['standard', 'robust'],
            'description': 'standard (mean, standard deviation) or robust (median, IQR)'},
        'log_features': {
            'type': 'choice', 'choices': ['none', 'money', 'skewed', 'auto'],
            'description': 'signed log1p before scaling: none, money features, every count and money feature, or those skewed beyond skew_threshold'},
        'skew_threshold': {
            'type': 'number', 'min': 0, 'min_exclusive': true,
            'description': 'log_features: auto logs a count or money feature whose sample skewness exceeds this'},
        'log_money': {
            'type': 'bool', 'replaced_by': 'log_features', 'replaced_value': 'money',
            'description': 'deprecated: true = log_features: money'},
        'random_seed': {
            'type': 'int', 'min': 0, 'max': 4294967295,
            'description': 'seed for K-Means and every sample'},
        'silhouette_sample_size': {
            'type': 'int', 'min': 2,
            'description': 'silhouette is computed on a seeded sample of at most this many customers'},
        'fit_sample_threshold': {
            'type': 'int', 'min': 2, 'min_var': 'k_max',
            'description': 'above this many customers the k sweep runs on a seeded sample of this size'},
        'comparison_sample_size': {
            'type': 'int', 'min': 2, 'min_var': 'k_max',
            'description': 'segment_algorithm_comparison runs on a seeded sample of at most this many customers'},
        'segmentation_mode': {
            'type': 'choice', 'choices': ['train', 'score'],
            'description': 'train fits the segmentation; score assigns customers with a stored model, fitting nothing'},
        'score_model_version': {
            'type': 'string', 'pattern': '([0-9a-f]{12})?',
            'expected': "'' or a model_version of segment_model_runs (12 hexadecimal digits, quoted)",
            'description': "the stored model score mode assigns with; '' = the latest trained run's"},
        'drift_psi_threshold': {
            'type': 'number', 'min': 0, 'min_exclusive': true,
            'description': 'segment_drift marks a feature drifted, and the build warns, above this population stability index'},
        'drift_far_share_threshold': {
            'type': 'number', 'min': 0, 'max': 1,
            'description': "segment_drift warns when more than this share of customers is farther from every centroid than the training run's 99th-percentile distance"},
        'segment_match_max_distance': {
            'type': 'number', 'min': 0,
            'description': "a retrained segment keeps the previous run's id and name when its centroid moved at most this far (scaled units)"},
        'history_max_runs': {
            'type': 'int', 'min': 1,
            'description': 'runs kept in segment_model_runs and segment_assignment_history; the oldest are deleted'},
        'migrations_from_version': {
            'type': 'string', 'pattern': '([0-9a-f]{12})?',
            'expected': "'' or a model_version of segment_model_runs (12 hexadecimal digits, quoted)",
            'description': "segment_migrations compares the latest run of this model_version; '' = the run before the latest"},
        'migrations_to_version': {
            'type': 'string', 'pattern': '([0-9a-f]{12})?',
            'expected': "'' or a model_version of segment_model_runs (12 hexadecimal digits, quoted)",
            'description': "segment_migrations compares against the latest run of this model_version; '' = the latest run"},
        'currency': {
            'type': 'string', 'pattern': '[A-Z]{3}',
            'expected': 'a three-letter ISO 4217 currency code in capitals, e.g. USD or EUR',
            'description': "currency of the inputs' money amounts, shown with them on the report site"},
        'report_customer_rows': {
            'type': 'bool',
            'description': 'whether the report site may show rows of individual customers'},
        'report_min_cell_size': {
            'type': 'int', 'min': 1,
            'description': 'an explore-grid cell of the report site is published only with at least this many customers'},
    }) }}
{% endmacro %}

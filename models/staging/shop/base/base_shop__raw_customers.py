"""Raw customers exactly as given, as canonical text columns: the demo seed, the file in
customers_path, or (with only orders_path) the distinct customer ids of the orders.
"""

from customer_segmentation.inputs import InputSettings, load_customers


def model(dbt, session):
    dbt.config(materialized="table")
    settings = InputSettings.from_meta(
        {
            "customers_path": dbt.config.meta_get("customers_path"),
            "orders_path": dbt.config.meta_get("orders_path"),
            "customers_columns": dbt.config.meta_get("customers_columns"),
            "orders_columns": dbt.config.meta_get("orders_columns"),
        }
    )
    return load_customers(session, settings, dbt.ref("raw_customers"), dbt.ref("base_shop__raw_orders"))

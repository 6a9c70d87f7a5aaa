"""Raw orders exactly as given, as canonical text columns: the demo seed, or the file in orders_path.

Reading, column mapping and every "cannot use this input" error live in
customer_segmentation.inputs; this file only wires dbt in and out.
"""

from customer_segmentation.inputs import InputSettings, load_orders


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
    return load_orders(session, settings, dbt.ref("raw_orders"))

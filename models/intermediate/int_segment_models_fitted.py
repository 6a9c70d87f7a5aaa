"""Fit the K-Means segmentation on the feature table; returns the fitted model as one row.

All logic lives in the `customer_segmentation` package (src/); this file only wires dbt in and out.
"""

from customer_segmentation.artifacts import model_to_arrow
from customer_segmentation.config import SegmentationConfig
from customer_segmentation.pipeline import fit_segmentation


def model(dbt, session):
    dbt.config(materialized="table")
    # dbt only passes the meta keys it sees read literally here, so each one is spelled out.
    config = SegmentationConfig.from_meta(
        {
            "segment_features": dbt.config.meta_get("segment_features"),
            "n_clusters": dbt.config.meta_get("n_clusters"),
            "k_min": dbt.config.meta_get("k_min"),
            "k_max": dbt.config.meta_get("k_max"),
            "scaler": dbt.config.meta_get("scaler"),
            "log_money": dbt.config.meta_get("log_money"),
            "random_seed": dbt.config.meta_get("random_seed"),
            "silhouette_sample_size": dbt.config.meta_get("silhouette_sample_size"),
            "fit_sample_threshold": dbt.config.meta_get("fit_sample_threshold"),
        }
    )
    # Sorted input: DuckDB row order is not stable, and K-Means depends on it.
    features = dbt.ref("int_customers_features_joined").order("customer_id").df()
    as_of_date = features["as_of_date"].iloc[0] if len(features) else None
    return model_to_arrow(fit_segmentation(features, config), as_of_date)

"""K-Means, Ward, a Gaussian mixture and DBSCAN side by side on the model's scaled customers and segments.

Thin wrapper: the comparison and its rules live in customer_segmentation.comparison.
"""

import pyarrow as pa

from customer_segmentation.artifacts import stored_model
from customer_segmentation.comparison import ComparisonSettings, compare_algorithms
from customer_segmentation.config import parse_int
from customer_segmentation.features import complete_rows
from customer_segmentation.scaling import transform


def model(dbt, session):
    dbt.config(materialized="table")
    fitted = dbt.ref("int_segment_models_fitted")
    scaling, _ = stored_model(fitted.to_arrow_table())
    version, algorithm, k, k_min, k_max, seed, silhouette_rows = fitted.project(
        "model_version, segmentation_algorithm, k, k_min, k_max, random_seed, silhouette_sample_size"
    ).fetchall()[0]
    features = dbt.ref("int_customers_features_joined").df()
    segments = dbt.ref("int_customers_segmented").project("customer_id, segment_id").df()
    # The segmented customers, sorted by id so that the seeded sample is the same on every run.
    customers = complete_rows(features, scaling["feature_name"].tolist()).merge(segments, on="customer_id")
    customers = customers.sort_values("customer_id", kind="stable").reset_index(drop=True)
    settings = ComparisonSettings(
        assigning=str(algorithm),
        k=int(k),
        k_min=int(k_min),
        k_max=int(k_max),
        random_seed=int(seed),
        sample_size=parse_int("comparison_sample_size", dbt.config.meta_get("comparison_sample_size")),
        silhouette_sample_size=int(silhouette_rows),
    )
    table = compare_algorithms(transform(customers, scaling), customers["segment_id"].to_numpy(), settings)
    table["model_version"] = version
    return pa.Table.from_pandas(table, preserve_index=False)

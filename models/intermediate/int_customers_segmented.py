"""Assign every customer to the nearest centroid of the fitted model.

Reads the scaling and centroids back from int_segment_models_fitted, so the assignment
is exactly the stored model applied to the feature table.
"""

import pyarrow as pa

from customer_segmentation.artifacts import stored_model
from customer_segmentation.pipeline import assign_segments


def model(dbt, session):
    dbt.config(materialized="table")
    scaling, centroids = stored_model(dbt.ref("int_segment_models_fitted").to_arrow_table())
    features = dbt.ref("int_customers_features_joined").order("customer_id").df()
    return pa.Table.from_pandas(assign_segments(features, scaling, centroids), preserve_index=False)

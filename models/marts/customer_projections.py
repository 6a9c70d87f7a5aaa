"""Each customer's position on the first two principal components of the scaled features.

Thin wrapper: the projection lives in customer_segmentation.projection.
"""

import pyarrow as pa

from customer_segmentation.artifacts import stored_model
from customer_segmentation.projection import project_2d


def model(dbt, session):
    dbt.config(materialized="table")
    fitted = dbt.ref("int_segment_models_fitted")
    scaling, _ = stored_model(fitted.to_arrow_table())
    random_seed, sample_size = fitted.project("random_seed, fit_sample_threshold").fetchall()[0]
    features = dbt.ref("int_customers_features_joined").order("customer_id").df()
    projected = project_2d(features, scaling, int(random_seed), int(sample_size))
    return pa.Table.from_pandas(projected, preserve_index=False)

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
    random_seed = int(fitted.project("random_seed").fetchall()[0][0])
    features = dbt.ref("int_customers_features_joined").order("customer_id").df()
    return pa.Table.from_pandas(project_2d(features, scaling, random_seed), preserve_index=False)

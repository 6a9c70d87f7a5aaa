"""The Python packages this build's models ran with, one row each (customer_segmentation.environment).

It reads no other model, so dbt starts it at once, beside the first SQL staging models. The
import below loads the fitting code (scikit-learn, SciPy, pandas: several seconds) then, while
DuckDB works, instead of on the critical path inside int_segment_models_fitted: dbt-duckdb runs
Python models in the dbt process, so later models reuse the loaded modules.
"""

import customer_segmentation.pipeline  # noqa: F401  (loaded early, see above)
from customer_segmentation.environment import package_versions


def model(dbt, session):
    dbt.config(materialized="table")
    return package_versions()

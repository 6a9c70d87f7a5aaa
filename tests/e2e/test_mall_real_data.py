"""Real data: the classic Mall Customers file (200 rows), read as-is from shared/data.

On annual income + spending score the pipeline must match plain scikit-learn exactly and pick
the well-known k = 5. Skipped when the shared file is not there.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

from tests.conftest import SHARED_MALL_CSV, BuildRun, run_build

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def mall_build(tmp_path_factory: pytest.TempPathFactory) -> BuildRun:
    if not SHARED_MALL_CSV.exists():
        pytest.skip(f"{SHARED_MALL_CSV} is not available")
    run = run_build(
        tmp_path_factory.mktemp("mall"),
        customers=str(SHARED_MALL_CSV),
        vars_yaml="{segment_features: [annual_income, spending_score]}",
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return run


def _query(database: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(sql).df()


def test_automatic_k_is_five(mall_build: BuildRun) -> None:
    model = _query(mall_build.database, "select k, k_rule, elbow_k, best_silhouette_k from int_segment_models_fitted")
    assert model["k"].iloc[0] == 5
    assert (model["elbow_k"].iloc[0], model["best_silhouette_k"].iloc[0]) == (5, 5)


def test_partition_equals_plain_scikit_learn(mall_build: BuildRun) -> None:
    """Same scaler, k, n_init and seed on the same rows (sorted by customer id): ARI = 1."""
    segments = _query(mall_build.database, "select customer_id, segment_id from customer_segments")
    seed = _query(mall_build.database, "select random_seed from segment_model_runs order by built_at desc limit 1")
    mall = pd.read_csv(SHARED_MALL_CSV, dtype={"CustomerID": str}).sort_values("CustomerID", kind="stable")
    features = mall[["Annual Income (k$)", "Spending Score (1-100)"]].to_numpy(dtype=float)
    labels = KMeans(n_clusters=5, n_init=10, random_state=int(seed["random_seed"].iloc[0])).fit_predict(
        StandardScaler().fit_transform(features)
    )
    joined = mall.assign(sklearn_label=labels).merge(segments, left_on="CustomerID", right_on="customer_id")
    assert len(joined) == 200
    assert adjusted_rand_score(joined["sklearn_label"], joined["segment_id"]) == 1.0

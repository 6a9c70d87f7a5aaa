"""End to end: segment_algorithm_comparison on the demo and on the real Mall Customers file.

One demo build for the file (then only the comparison model is rebuilt with a smaller sample),
and one Mall build, skipped when the shared file is not there.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from sklearn.metrics import silhouette_score

from customer_segmentation.features import complete_rows
from customer_segmentation.scaling import transform
from tests.conftest import SHARED_MALL_CSV, DbtRun, run_build, run_dbt

pytestmark = pytest.mark.e2e

ALGORITHMS = ["agglomerative", "dbscan", "gmm", "kmeans"]
# Measured on the Mall file (income and spending score, k = 5): ARI(K-Means, Ward) = 0.942 (see
# the test); the bound leaves room for a scikit-learn release that breaks a tie differently.
MALL_MIN_ARI_KMEANS_WARD = 0.92


def _query(database: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(sql).df()


def _comparison(database: Path) -> pd.DataFrame:
    return _query(database, "select * from segment_algorithm_comparison order by algorithm").set_index("algorithm")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DbtRun:
    run = run_dbt("build", tmp_path_factory.mktemp("comparison_demo"))
    assert run.returncode == 0, run.output[-4000:]
    return run


def test_four_algorithms_with_scores_in_their_ranges(demo: DbtRun) -> None:
    table = _comparison(demo.database)
    model = _query(demo.database, "select model_version, k, n_customers from int_segment_models_fitted").iloc[0]
    assert sorted(table.index) == ALGORITHMS
    assert (table["model_version"] == model["model_version"]).all()
    # The demo is below comparison_sample_size: every segmented customer is compared.
    assert (table["sample_size"] == model["n_customers"]).all()
    assert table.loc["kmeans", "adjusted_rand_vs_kmeans"] == 1.0
    assert table.loc["kmeans", "n_clusters"] == model["k"] == table.loc["agglomerative", "n_clusters"]
    assert list(table.index[table["is_assigning"]]) == ["kmeans"]
    scored = table.dropna(subset=["silhouette"])
    assert {"kmeans", "agglomerative", "gmm"} <= set(scored.index)
    assert scored["silhouette"].between(-1, 1).all()
    assert (scored["davies_bouldin"] >= 0).all() and (scored["calinski_harabasz"] >= 0).all()
    assert table["adjusted_rand_vs_kmeans"].between(-1, 1).all()
    assert table["noise_share"].between(0, 1).all()
    assert (table.drop(index="dbscan")["noise_share"] == 0).all()
    assert "min_samples=" in table.loc["dbscan", "parameters"] and "eps=" in table.loc["dbscan", "parameters"]


def test_kmeans_row_scores_the_customers_segments(demo: DbtRun) -> None:
    """The kmeans silhouette is scikit-learn's on customer_segments in the stored scaled space."""
    database = demo.database
    scaling = _query(
        database,
        "select * from feature_scaling where model_version = (select model_version from int_segment_models_fitted)",
    )
    features = _query(database, "select * from int_customers_features_joined")
    segments = _query(database, "select customer_id, segment_id from customer_segments")
    customers = complete_rows(features, scaling["feature_name"].tolist()).merge(segments, on="customer_id")
    customers = customers.sort_values("customer_id", kind="stable")
    settings = _query(database, "select random_seed, silhouette_sample_size from int_segment_models_fitted").iloc[0]
    scaled = transform(customers, scaling)
    rows = min(int(settings["silhouette_sample_size"]), len(scaled))
    expected = silhouette_score(
        scaled,
        customers["segment_id"],
        sample_size=rows if rows < len(scaled) else None,
        random_state=int(settings["random_seed"]),
    )
    assert _comparison(database).loc["kmeans", "silhouette"] == pytest.approx(expected)


def test_comparison_sample_size_caps_the_sample(demo: DbtRun, tmp_path: Path) -> None:
    run = run_dbt(
        "build",
        tmp_path,
        database=demo.database,
        vars_yaml="{comparison_sample_size: 500}",
        extra_args=("--select", "segment_algorithm_comparison"),
    )
    assert run.returncode == 0, run.output[-4000:]
    table = _comparison(demo.database)
    assert (table["sample_size"] == 500).all()
    assert table.loc["kmeans", "adjusted_rand_vs_kmeans"] == 1.0


def test_mall_kmeans_and_ward_agree(tmp_path_factory: pytest.TempPathFactory) -> None:
    """On income and spending score, K-Means and Ward find the same five groups, give or take a few customers."""
    if not SHARED_MALL_CSV.exists():
        pytest.skip(f"{SHARED_MALL_CSV} is not available")
    run = run_build(
        tmp_path_factory.mktemp("comparison_mall"),
        customers=str(SHARED_MALL_CSV),
        vars_yaml="{segment_features: [annual_income, spending_score]}",
    )
    assert run.returncode == 0, run.stderr[-3000:]
    table = _comparison(run.database)
    assert table.loc["agglomerative", "n_clusters"] == 5
    assert table.loc["agglomerative", "adjusted_rand_vs_kmeans"] >= MALL_MIN_ARI_KMEANS_WARD

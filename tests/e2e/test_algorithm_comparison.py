"""End to end: segment_algorithm_comparison, and segmentation_algorithm gmm and agglomerative.

Builds: the demo (then only the comparison model again, with a smaller sample); the demo with
gmm and with agglomerative, each followed by a score-mode build with its stored model; and the
Mall file, skipped when the shared file is not there.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import silhouette_score
from sklearn.mixture import GaussianMixture

from customer_segmentation.features import complete_rows
from customer_segmentation.scaling import transform
from tests.conftest import SHARED_MALL_CSV, BuildRun, DbtRun, run_build, run_dbt

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


def _segments(database: Path) -> pd.Series:
    return _query(database, "select customer_id, segment_id from customer_segments").set_index("customer_id")[
        "segment_id"
    ]


def _trained_then_scored(workdir: Path, algorithm: str) -> tuple[Path, Path, BuildRun]:
    """A demo build with `algorithm`, then a score-mode build of a copy with the model it stored."""
    trained = workdir / "trained.duckdb"
    run = run_build(workdir / "train", database=trained, vars_yaml=f"{{segmentation_algorithm: {algorithm}}}")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    scored = workdir / "scored.duckdb"
    scored.write_bytes(trained.read_bytes())
    # Score mode with the default segmentation_algorithm: the stored model decides how to score.
    again = run_build(workdir / "score", database=scored, vars_yaml="{segmentation_mode: score}")
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-3000:]
    return trained, scored, run


@pytest.fixture(scope="module")
def gmm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, BuildRun]:
    return _trained_then_scored(tmp_path_factory.mktemp("gmm"), "gmm")


@pytest.fixture(scope="module")
def ward(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, BuildRun]:
    return _trained_then_scored(tmp_path_factory.mktemp("ward"), "agglomerative")


def _segmentable(database: Path) -> pd.DataFrame:
    """The customers with a value for every feature of the current model, sorted by id, and its scaler."""
    version = _query(database, "select model_version from int_segment_models_fitted")["model_version"].iloc[0]
    scaling = _query(
        database, f"select * from feature_scaling where model_version = '{version}' order by feature_position"
    )
    features = _query(database, "select * from int_customers_features_joined")
    return complete_rows(features, scaling["feature_name"].tolist()).sort_values("customer_id"), scaling


@pytest.mark.parametrize("algorithm", ["gmm", "agglomerative"])
def test_every_customer_gets_a_segment_and_score_mode_reproduces_it(
    algorithm: str, request: pytest.FixtureRequest
) -> None:
    trained, scored, _ = request.getfixturevalue("gmm" if algorithm == "gmm" else "ward")
    customers, _ = _segmentable(trained)
    segments = _segments(trained)
    assert sorted(segments.index) == sorted(customers["customer_id"])
    runs = _query(scored, "select segmentation_mode, segmentation_algorithm, model_version from segment_model_runs")
    assert runs["segmentation_mode"].tolist() == ["train", "score"]
    assert runs["segmentation_algorithm"].tolist() == [algorithm, algorithm]
    assert runs["model_version"].nunique() == 1
    assert _segments(scored).sort_index().equals(segments.sort_index())
    comparison = _comparison(trained)
    assert list(comparison.index[comparison["is_assigning"]]) == [algorithm]
    assert comparison.loc["kmeans", "adjusted_rand_vs_kmeans"] == 1.0


def test_gmm_sql_assignment_equals_scikit_learn_predict(gmm: tuple[Path, Path, BuildRun]) -> None:
    """A GaussianMixture holding the stored means, variances and weights predicts every customer's segment."""
    trained, _, _ = gmm
    customers, scaling = _segmentable(trained)
    version = _query(trained, "select model_version, k_rule from int_segment_models_fitted").iloc[0]
    assert version["k_rule"] == "lowest_bic"
    centroids = _query(
        trained,
        "select * from segment_centroids where model_version = "
        f"'{version['model_version']}' order by segment_id, feature_position",
    )
    ids = centroids["segment_id"].unique()
    n_features = len(scaling)
    mixture = GaussianMixture(n_components=len(ids), covariance_type="diag")
    mixture.means_ = centroids["scaled_value"].to_numpy().reshape(-1, n_features)
    mixture.covariances_ = centroids["variance"].to_numpy().reshape(-1, n_features)
    mixture.precisions_cholesky_ = 1 / np.sqrt(mixture.covariances_)
    mixture.weights_ = centroids["mixture_weight"].to_numpy().reshape(-1, n_features)[:, 0]
    predicted = ids[mixture.predict(transform(customers, scaling))]
    assigned = _segments(trained).loc[customers["customer_id"]].to_numpy()
    assert (predicted != assigned).sum() == 0
    sweep = _query(trained, "select k, bic, is_chosen from segment_model_selection order by k")
    assert sweep.loc[sweep["bic"].idxmin(), "is_chosen"]


def test_ward_centres_are_scored_as_nearest_centre(ward: tuple[Path, Path, BuildRun]) -> None:
    """Ward stores variance 1 and equal weights, so each customer's segment is its nearest stored centre."""
    trained, _, run = ward
    customers, scaling = _segmentable(trained)
    centroids = _query(
        trained,
        "select * from segment_centroids where model_version = "
        "(select model_version from int_segment_models_fitted) order by segment_id, feature_position",
    )
    assert (centroids["variance"] == 1).all()
    assert np.allclose(centroids["mixture_weight"], 1 / centroids["segment_id"].nunique())
    ids = centroids["segment_id"].unique()
    centers = centroids["scaled_value"].to_numpy().reshape(len(ids), -1)
    scaled = transform(customers, scaling)
    nearest = ids[np.linalg.norm(scaled[:, None, :] - centers[None, :, :], axis=2).argmin(axis=1)]
    assert (nearest == _segments(trained).loc[customers["customer_id"]].to_numpy()).all()
    assert "sampled customer(s) sit nearer another centre" in run.stdout

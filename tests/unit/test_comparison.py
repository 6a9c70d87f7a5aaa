"""The algorithm comparison: the rules of comparison.py on data whose answer is known."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from customer_segmentation.comparison import (
    ALGORITHMS,
    ComparisonSettings,
    compare_algorithms,
    dbscan_eps,
    dbscan_min_samples,
    gmm_components_by_bic,
)


def _settings(**overrides: int | str) -> ComparisonSettings:
    values = {"k": 3, "k_min": 2, "k_max": 6, "random_seed": 7, "sample_size": 10_000, "silhouette_sample_size": 5000}
    values["assigning"] = "kmeans"
    return ComparisonSettings(**{**values, **overrides})


@pytest.fixture(scope="module")
def blobs() -> tuple[np.ndarray, np.ndarray]:
    """Three well-separated round clusters: every algorithm should find them."""
    points, labels = make_blobs(n_samples=600, centers=[[0, 0], [8, 0], [0, 8]], cluster_std=0.6, random_state=3)
    return points, labels + 1


def test_every_algorithm_finds_well_separated_clusters(blobs: tuple[np.ndarray, np.ndarray]) -> None:
    points, labels = blobs
    table = compare_algorithms(points, labels, _settings())
    assert list(table["algorithm"]) == list(ALGORITHMS)
    assert list(table["n_clusters"]) == [3, 3, 3, 3]
    assert table.set_index("algorithm")["adjusted_rand_vs_kmeans"]["kmeans"] == 1.0
    # Ward and the mixture recover the blobs; DBSCAN too, up to its few noise points.
    assert (table["adjusted_rand_vs_kmeans"] > 0.95).all()
    assert table["silhouette"].between(0.7, 1).all()
    assert list(table["is_assigning"]) == [True, False, False, False]
    assert (table.loc[table["algorithm"] != "dbscan", "noise_share"] == 0).all()
    assert (table["sample_size"] == 600).all()


def test_kmeans_row_scores_the_given_labels_not_a_refit(blobs: tuple[np.ndarray, np.ndarray]) -> None:
    """The kmeans row is the project's assignment: a deliberately poor labelling scores poorly."""
    points, labels = blobs
    poor = np.where(labels == 3, 2, labels)  # two blobs merged into one segment
    table = compare_algorithms(points, poor, _settings()).set_index("algorithm")
    assert table.loc["kmeans", "n_clusters"] == 2
    assert table.loc["agglomerative", "adjusted_rand_vs_kmeans"] < 0.8


def test_sample_is_seeded_and_capped(blobs: tuple[np.ndarray, np.ndarray]) -> None:
    points, labels = blobs
    first = compare_algorithms(points, labels, _settings(sample_size=200))
    again = compare_algorithms(points, labels, _settings(sample_size=200))
    assert (first["sample_size"] == 200).all()
    assert first.equals(again)


def test_gmm_k_is_the_lowest_bic(blobs: tuple[np.ndarray, np.ndarray]) -> None:
    points, _ = blobs
    k, mixture = gmm_components_by_bic(points, [2, 3, 4, 5], random_seed=7)
    assert k == 3
    assert mixture.covariance_type == "diag"


def test_dbscan_eps_is_the_knee_of_the_k_distance_curve() -> None:
    """Dense clusters plus a few far outliers: the knee sits between the two distance scales."""
    rng = np.random.default_rng(0)
    dense = np.concatenate([rng.normal(0, 0.1, (300, 2)), rng.normal(5, 0.1, (300, 2))])
    outliers = rng.uniform(-20, 25, (12, 2))
    points = np.concatenate([dense, outliers])
    min_samples = dbscan_min_samples(2)
    eps = dbscan_eps(points, min_samples)
    assert (min_samples, dbscan_min_samples(7)) == (8, 14)
    assert 0.05 < eps < 2  # the dense clusters' neighbour distances, far below the outliers'


def test_dbscan_with_one_cluster_has_null_scores_and_says_why() -> None:
    """One round blob: DBSCAN finds a single cluster, so its scores are null and the note says why."""
    points = np.random.default_rng(1).normal(0, 1, (400, 2))
    labels = (points[:, 0] > 0).astype(int) + 1
    row = compare_algorithms(points, labels, _settings(k=2)).set_index("algorithm").loc["dbscan"]
    assert row["n_clusters"] == 1
    assert row[["silhouette", "davies_bouldin", "calinski_harabasz"]].isna().all()
    assert "at least 2" in row["note"]


@pytest.mark.parametrize("assigning", ["gmm", "agglomerative"])
def test_the_assigning_algorithm_row_is_the_given_segments(
    blobs: tuple[np.ndarray, np.ndarray], assigning: str
) -> None:
    """Under gmm or agglomerative, that row scores the customers' segments and K-Means is fitted for the others."""
    points, labels = blobs
    poor = np.where(labels == 3, 2, labels)
    table = compare_algorithms(points, poor, _settings(assigning=assigning)).set_index("algorithm")
    assert list(table.index[table["is_assigning"]]) == [assigning]
    assert table.loc[assigning, "n_clusters"] == 2  # the given labels, not a refit
    assert table.loc["kmeans", "n_clusters"] == 3  # K-Means refitted, so it finds the three blobs
    assert table.loc["kmeans", "adjusted_rand_vs_kmeans"] == 1.0
    assert "customers' segments" in table.loc[assigning, "parameters"]


def test_labels_must_match_rows(blobs: tuple[np.ndarray, np.ndarray]) -> None:
    points, labels = blobs
    with pytest.raises(ValueError, match="segment labels"):
        compare_algorithms(points, labels[:-1], _settings())

"""segmentation_algorithm gmm and agglomerative: the fit, the stored scoring parameters and the scoring rule."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.mixture import GaussianMixture

from customer_segmentation.artifacts import model_to_arrow, stored_model
from customer_segmentation.clustering import assign_by_likelihood, assign_to_centroids, fit_ward, mixture_clusters
from customer_segmentation.config import ConfigError, SegmentationConfig
from customer_segmentation.pipeline import assign_segments, fit_segmentation
from customer_segmentation.selection import choose_by_bic

FEATURES = ("age", "annual_income", "spending_score")


@pytest.fixture(scope="module")
def features() -> pd.DataFrame:
    """Four groups of different spreads and sizes, with unsorted customer ids."""
    points, _ = make_blobs(
        n_samples=[120, 60, 40, 80],
        centers=[[0, 0, 0], [6, 0, 3], [0, 7, -3], [5, 6, 6]],
        cluster_std=[0.6, 1.4, 0.8, 1.0],
        random_state=11,
    )
    frame = pd.DataFrame(points * [10, 8000, 12] + [40, 50_000, 50], columns=list(FEATURES))
    frame.insert(0, "customer_id", np.random.default_rng(2).choice(np.arange(1000, 9000), len(frame), replace=False))
    return frame


def _config(**overrides: Any) -> SegmentationConfig:
    settings: dict[str, Any] = {"features": FEATURES, "k_min": 2, "k_max": 7, "n_init": 2, "random_seed": 42}
    return SegmentationConfig(**{**settings, **overrides})


def _assigned(features: pd.DataFrame, model: Any) -> pd.Series:
    """Scoring the model as it is stored (the Arrow row), as a customer_id -> segment_id series."""
    scaling, centroids = stored_model(model_to_arrow(model, None))
    return assign_segments(features, scaling, centroids).set_index("customer_id")["segment_id"]


def test_config_reads_and_checks_the_algorithm() -> None:
    meta = {"segment_features": "['age']", "segmentation_algorithm": " GMM ", "comparison_sample_size": "300"}
    config = SegmentationConfig.from_meta(meta)
    assert (config.algorithm, config.ward_sample_size) == ("gmm", 300)
    assert SegmentationConfig(features=("age",)).algorithm == "kmeans"
    with pytest.raises(ConfigError, match="segmentation_algorithm"):
        SegmentationConfig(features=("age",), algorithm="dbscan")


def test_likelihood_rule_equals_gaussian_mixture_predict() -> None:
    rng = np.random.default_rng(3)
    points = np.concatenate([rng.normal(0, 0.3, (200, 2)), rng.normal([1, 0], [2.0, 0.5], (200, 2))])
    mixture = GaussianMixture(n_components=2, covariance_type="diag", random_state=0).fit(points)
    ids, _ = assign_by_likelihood(points, mixture.means_, mixture.covariances_, mixture.weights_)
    assert (ids - 1 == mixture.predict(points)).all()
    # Unit variances and equal weights: the nearest centre.
    k = len(mixture.means_)
    nearest, distances = assign_to_centroids(points, mixture.means_)
    same, same_distances = assign_by_likelihood(points, mixture.means_, np.ones((k, 2)), np.full(k, 1 / k))
    assert (same == nearest).all() and np.allclose(same_distances, distances)


def test_gmm_chooses_k_by_bic_and_scoring_reproduces_the_fit(features: pd.DataFrame) -> None:
    model = fit_segmentation(features, _config(algorithm="gmm"))
    sweep = model.model_selection
    assert model.choice.rule == "lowest_bic"
    assert model.choice.k == int(sweep.loc[sweep["bic"].idxmin(), "k"]) == 4
    assert sweep["bic"].notna().all() and sweep["is_chosen"].sum() == 1
    # Per segment a weight (summing to 1) and per feature a variance: what the SQL scoring reads.
    weights = model.centroids.drop_duplicates("segment_id")["mixture_weight"]
    assert weights.sum() == pytest.approx(1) and weights.nunique() > 1
    assert (model.centroids["variance"] > 0).all() and model.centroids["variance"].nunique() > 1
    assigned = _assigned(features, model)
    sizes = assigned.value_counts().sort_index()
    assert sizes.tolist() == model.segments.set_index("segment_id")["n_customers"].sort_index().tolist()


def test_gmm_with_n_clusters_fits_that_k_only(features: pd.DataFrame) -> None:
    model = fit_segmentation(features, _config(algorithm="gmm", n_clusters=3))
    assert (model.choice.k, model.choice.rule) == (3, "fixed_n_clusters")
    assert model.model_selection["k"].tolist() == [3]


def test_mixture_clusters_are_in_stable_order(features: pd.DataFrame) -> None:
    points = features[list(FEATURES)].to_numpy() / [10, 8000, 12]
    first = mixture_clusters(points, GaussianMixture(4, covariance_type="diag", random_state=1).fit(points))
    other = mixture_clusters(points, GaussianMixture(4, covariance_type="diag", random_state=9).fit(points))
    assert np.allclose(first.centers, other.centers, atol=1e-3)
    assert (first.segment_ids == other.segment_ids).all()


def test_ward_centres_assign_every_row_to_the_nearest(features: pd.DataFrame) -> None:
    points = features[list(FEATURES)].to_numpy() / [10, 8000, 12]
    fitted = fit_ward(points, 4, random_seed=42, sample_size=150)
    nearest, _ = assign_to_centroids(points, fitted.centers)
    assert (fitted.segment_ids == nearest).all()
    assert (fitted.variances == 1).all() and np.allclose(fitted.weights, 0.25)
    assert 0 <= fitted.sample_disagreements <= 150


def test_agglomerative_model_differs_from_kmeans_only_where_it_should(features: pd.DataFrame) -> None:
    kmeans = fit_segmentation(features, _config())
    ward = fit_segmentation(features, _config(algorithm="agglomerative"))
    assert ward.choice.k == kmeans.choice.k  # k by the same elbow-and-silhouette sweep
    assert ward.model_version != kmeans.model_version
    assert (ward.centroids["variance"] == 1).all()
    assert _assigned(features, ward).value_counts().sum() == len(features)
    # Ward's sample size is part of an agglomerative model, and of no other.
    assert fit_segmentation(features, _config(ward_sample_size=100)).model_version == kmeans.model_version
    smaller = fit_segmentation(features, _config(algorithm="agglomerative", ward_sample_size=100))
    assert smaller.model_version != ward.model_version


def test_choose_by_bic_takes_the_lowest_and_the_smaller_k_on_a_tie() -> None:
    sweep = pd.DataFrame(
        {"k": [2, 3, 4, 5], "inertia": [90.0, 40.0, 30.0, 25.0], "silhouette": [0.5, 0.6, 0.4, 0.3]}
        | {"bic": [500.0, 300.0, 300.0, 310.0]}
    )
    choice = choose_by_bic(sweep)
    assert (choice.k, choice.rule, choice.best_silhouette_k) == (3, "lowest_bic", 3)
    assert "lowest BIC" in choice.explanation

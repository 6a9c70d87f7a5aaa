"""fit_segmentation and assign_segments: stable ids, exact reapplication, and early data checks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs

from customer_segmentation import clustering, pipeline
from customer_segmentation.artifacts import model_to_arrow, stored_model
from customer_segmentation.config import SegmentationConfig
from customer_segmentation.pipeline import (
    FeatureDataError,
    SegmentationModel,
    assign_segments,
    fit_segmentation,
    validate_features,
)

FEATURES = ("age", "annual_income", "spending_score")
CENTERS = [[25.0, 30_000.0, 80.0], [60.0, 30_000.0, 20.0], [40.0, 90_000.0, 85.0], [45.0, 60_000.0, 10.0]]
SPREAD = [2.0, 1500.0, 3.0]  # within-group standard deviation per feature


def _blob_features(n_samples: int = 160) -> pd.DataFrame:
    """Four well-separated customer groups with non-contiguous, unsorted customer ids."""
    unit, _ = make_blobs(n_samples=n_samples, centers=np.divide(CENTERS, SPREAD), cluster_std=1.0, random_state=5)
    points = unit * np.asarray(SPREAD)
    ids = np.random.default_rng(1).choice(np.arange(1000, 9000), size=n_samples, replace=False)
    frame = pd.DataFrame(points, columns=list(FEATURES))
    frame.insert(0, "customer_id", ids)
    return frame


def _config(**overrides: Any) -> SegmentationConfig:
    """A small, fast configuration on the blob features."""
    settings: dict[str, Any] = {"features": FEATURES, "k_min": 2, "k_max": 6, "n_init": 2, "random_seed": 42}
    settings.update(overrides)
    return SegmentationConfig(**settings)


def _mapping(features: pd.DataFrame, model: SegmentationModel) -> pd.Series:
    """customer_id -> segment_id for a fitted model."""
    assigned = assign_segments(features, model.scaling, model.centroids)
    return assigned.set_index("customer_id")["segment_id"].sort_index()


@pytest.fixture(scope="module")
def features() -> pd.DataFrame:
    """The blob feature table."""
    return _blob_features()


@pytest.fixture(scope="module")
def model(features: pd.DataFrame) -> SegmentationModel:
    """The reference fit (seed 42, k chosen automatically)."""
    return fit_segmentation(features, _config())


def test_fit_finds_the_four_groups(features: pd.DataFrame, model: SegmentationModel) -> None:
    """k = 4 is chosen, ids are 1..4, and segment sizes add up to the customer count."""
    assert model.choice.k == 4
    assert model.segments["segment_id"].tolist() == [1, 2, 3, 4]
    assert model.segments["n_customers"].sum() == len(features) == model.n_customers
    assert model.segments["segment_name"].is_unique
    assert model.model_selection["is_chosen"].sum() == 1
    counts = _mapping(features, model).value_counts().sort_index()
    assert counts.tolist() == model.segments["n_customers"].tolist()


def test_segment_ids_follow_the_documented_centroid_order(model: SegmentationModel) -> None:
    """Segment 1 has the lowest scaled centroid on the first feature, ties broken by later features."""
    scaled = model.centroids.pivot(index="segment_id", columns="feature_position", values="scaled_value")
    assert scaled.index.tolist() == [1, 2, 3, 4]
    rows = [tuple(row) for row in scaled.to_numpy()]
    assert rows == sorted(rows)
    # The blobs' ages are 25 < 40 < 45 < 60, so the ids must follow age.
    ages = model.centroids.query("feature_name == 'age'").sort_values("segment_id")["original_value"]
    np.testing.assert_allclose(ages.to_numpy(), [25.0, 40.0, 45.0, 60.0], atol=1.0)


def test_same_ids_when_rows_are_permuted(features: pd.DataFrame, model: SegmentationModel) -> None:
    """Row order of the input does not change any customer's segment or the model."""
    shuffled = features.sample(frac=1.0, random_state=3).reset_index(drop=True)
    assert not shuffled["customer_id"].equals(features["customer_id"])
    refit = fit_segmentation(shuffled, _config())
    pd.testing.assert_series_equal(_mapping(features, refit), _mapping(features, model))
    assert refit.model_version == model.model_version


@pytest.mark.parametrize("seed", [1, 7])
def test_same_ids_for_other_seeds(features: pd.DataFrame, model: SegmentationModel, seed: int) -> None:
    """Seeds 1 and 7 give the same customer -> segment mapping as seed 42."""
    refit = fit_segmentation(features, _config(random_seed=seed))
    assert refit.choice.k == model.choice.k
    pd.testing.assert_series_equal(_mapping(features, refit), _mapping(features, model))
    assert refit.segments["segment_name"].tolist() == model.segments["segment_name"].tolist()


def test_stored_model_assigns_exactly_the_fit_labels(features: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    """assign_segments on the Arrow-stored model reproduces the final fit's ids and KMeans partition."""
    fits: list[clustering.FittedClusters] = []
    estimators: list[KMeans] = []

    class RecordingKMeans(KMeans):
        def fit(self, *args: Any, **kwargs: Any) -> RecordingKMeans:
            estimators.append(self)
            return super().fit(*args, **kwargs)

    def recording_fit_kmeans(*args: Any, **kwargs: Any) -> clustering.FittedClusters:
        fits.append(clustering.fit_kmeans(*args, **kwargs))
        return fits[-1]

    monkeypatch.setattr(clustering, "KMeans", RecordingKMeans)
    monkeypatch.setattr(pipeline, "fit_kmeans", recording_fit_kmeans)
    fitted_model = fit_segmentation(features.iloc[::-1], _config())
    assert len(fits) == 1 and len(estimators) == 1

    scaling, centroids = stored_model(model_to_arrow(fitted_model, None))
    assigned = assign_segments(features, scaling, centroids)
    # The fit ran on rows sorted by customer id, and assign_segments returns that order too.
    assert assigned["customer_id"].tolist() == sorted(features["customer_id"])
    np.testing.assert_array_equal(assigned["segment_id"].to_numpy(), fits[0].segment_ids)
    np.testing.assert_allclose(assigned["distance_to_centroid"].to_numpy(), fits[0].distances, rtol=1e-9)

    raw_labels = estimators[0].labels_
    pairs = set(zip(raw_labels.tolist(), assigned["segment_id"].tolist(), strict=True))
    assert len(pairs) == len(set(raw_labels.tolist())) == fitted_model.choice.k

    names = fitted_model.segments.set_index("segment_id")["segment_name"]
    assert assigned["segment_name"].tolist() == names.loc[assigned["segment_id"]].tolist()


def test_fixed_n_clusters_is_used(features: pd.DataFrame) -> None:
    """A fixed n_clusters, even outside the k range, is the only k fitted: no sweep runs."""
    fixed = fit_segmentation(features, _config(n_clusters=7, k_max=4, n_init=1))
    assert fixed.choice.k == 7
    assert fixed.choice.rule == "fixed_n_clusters"
    assert fixed.model_selection["k"].tolist() == [7]
    assert fixed.segments["segment_id"].tolist() == list(range(1, 8))


def test_validate_features_sorts_by_customer_id(features: pd.DataFrame) -> None:
    """The validated table is in customer-id order with a fresh index."""
    validated = validate_features(features, _config())
    assert validated["customer_id"].is_monotonic_increasing
    assert validated.index.tolist() == list(range(len(features)))


def test_missing_feature_column_is_named(features: pd.DataFrame) -> None:
    """A configured feature that is not in the table fails, naming it."""
    with pytest.raises(FeatureDataError, match="spending_score"):
        validate_features(features.drop(columns="spending_score"), _config())


def test_missing_id_column_is_named(features: pd.DataFrame) -> None:
    """The customer id column is required too."""
    with pytest.raises(FeatureDataError, match="customer_id"):
        validate_features(features.drop(columns="customer_id"), _config())


@pytest.mark.parametrize("bad_value", [np.inf, -np.inf])
def test_infinite_values_are_named(features: pd.DataFrame, bad_value: float) -> None:
    """Infinities fail before fitting, naming the column (nulls are left out instead: test_left_out_customers.py)."""
    broken = features.copy()
    broken["annual_income"] = broken["annual_income"].astype(object)
    broken.loc[5, "annual_income"] = bad_value
    with pytest.raises(FeatureDataError, match=r"^feature 'annual_income': some values are not finite numbers$"):
        validate_features(broken, _config())


def test_nullable_integer_nulls_are_left_out(features: pd.DataFrame) -> None:
    """A null in a nullable integer column (as DuckDB can deliver) leaves that customer out, not crashed on."""
    broken = features.assign(age=pd.array([None, *features["age"].round().astype(int)[1:]], dtype="Int64"))
    validated = validate_features(broken, _config())
    assert len(validated) == len(features) - 1
    assert features["customer_id"].iloc[0] not in set(validated["customer_id"])


def test_text_values_are_rejected(features: pd.DataFrame) -> None:
    """A non-numeric value in a feature column is reported with the column name."""
    broken = features.astype({"age": object})
    broken.loc[0, "age"] = "forty"
    with pytest.raises(FeatureDataError, match="age"):
        validate_features(broken, _config())


def test_duplicate_customer_ids_are_rejected(features: pd.DataFrame) -> None:
    """Two rows for one customer would make the assignment ambiguous."""
    duplicated = pd.concat([features, features.iloc[[0]]], ignore_index=True)
    with pytest.raises(FeatureDataError, match="duplicate"):
        validate_features(duplicated, _config())


@pytest.mark.parametrize(("n_rows", "overrides"), [(2, {}), (4, {"k_min": 4, "k_max": 6}), (5, {"n_clusters": 5})])
def test_too_few_rows_for_k(features: pd.DataFrame, n_rows: int, overrides: dict[str, Any]) -> None:
    """Fewer rows than the smallest k needs (k + 1) fail with the row count in the message."""
    with pytest.raises(FeatureDataError, match=f"only {n_rows} customer"):
        validate_features(features.head(n_rows), _config(**overrides))


def test_just_enough_rows_pass(features: pd.DataFrame) -> None:
    """k + 1 rows are enough for k = k_min."""
    assert len(validate_features(features.head(3), _config())) == 3

"""Customers with no value for a selected feature are left out of the segmentation, counted and explained.

The rows left out are decided in Python from the feature table; the reasons and the cause of a
feature with no values come from the SQL models (int_customers_features_missing,
int_customers_features_summarized) and are only quoted in the messages tested here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs

from customer_segmentation.config import ConfigError, SegmentationConfig, parse_share
from customer_segmentation.pipeline import (
    Exclusions,
    FeatureDataError,
    assign_segments,
    fit_segmentation,
    validate_features,
)
from customer_segmentation.projection import project_2d

FEATURES = ("age", "recency_days", "credit_score")
N = 60


def _features() -> pd.DataFrame:
    """Three well-separated groups of 20 customers, ids c00..c59, every value present."""
    points, _ = make_blobs(n_samples=N, centers=[[25, 10, 600], [50, 200, 700], [70, 400, 800]], random_state=3)
    frame = pd.DataFrame(points, columns=list(FEATURES))
    frame.insert(0, "customer_id", [f"c{i:02d}" for i in range(N)])
    return frame


def _config(**overrides: Any) -> SegmentationConfig:
    settings: dict[str, Any] = {"features": FEATURES, "n_clusters": 3, "n_init": 2, "random_seed": 42}
    settings.update(overrides)
    return SegmentationConfig(**settings)


def _with_gaps(recency: Sequence[str], credit: Sequence[str] = ()) -> pd.DataFrame:
    """The feature table with recency_days and credit_score blanked for the given customers."""
    frame = _features()
    frame.loc[frame["customer_id"].isin(recency), "recency_days"] = None
    frame.loc[frame["customer_id"].isin(credit), "credit_score"] = None
    return frame


def _reasons(recency: Sequence[str], credit: Sequence[str] = ()) -> pd.DataFrame:
    """What int_customers_features_missing holds for those gaps."""
    rows = [(c, "recency_days", "no_orders_and_no_signup_date") for c in recency]
    rows += [(c, "credit_score", "missing_credit_score") for c in credit]
    return pd.DataFrame(rows, columns=["customer_id", "feature_name", "reason"])


def test_rows_with_a_missing_feature_are_left_out_and_counted() -> None:
    """Four customers without recency: the model is fitted on the other 56, exactly as without those rows."""
    gaps = ["c03", "c17", "c40", "c59"]
    features = _with_gaps(gaps)
    model = fit_segmentation(features, _config(), Exclusions(reasons=_reasons(gaps), max_share=0.5))
    assert (model.n_customers, model.n_not_segmented) == (56, 4)
    assert model.segments["n_customers"].sum() == 56

    complete = features.loc[~features["customer_id"].isin(gaps)]
    reference = fit_segmentation(complete, _config())
    assert reference.n_not_segmented == 0
    assert model.model_version == reference.model_version
    pd.testing.assert_frame_equal(model.centroids, reference.centroids)


def test_assignment_and_projection_skip_the_rows_left_out() -> None:
    """The stored model is applied to the complete rows only, so nobody gets a segment from a NaN."""
    gaps = ["c03", "c40"]
    features = _with_gaps(gaps, credit=["c10"])
    model = fit_segmentation(features, _config())
    assigned = assign_segments(features, model.scaling, model.centroids)
    expected = sorted(set(features["customer_id"]) - {"c03", "c40", "c10"})
    assert assigned["customer_id"].tolist() == expected
    assert assigned["distance_to_centroid"].notna().all()
    projected = project_2d(features, model.scaling, random_seed=42)
    assert projected["customer_id"].tolist() == expected
    assert np.isfinite(projected[["pc1", "pc2"]].to_numpy()).all()


def test_a_feature_the_model_does_not_use_leaves_nobody_out() -> None:
    """A gap in a column that is not selected does not matter."""
    features = _with_gaps(["c03"], credit=["c04"])
    model = fit_segmentation(features, _config(features=("age", "recency_days")))
    assert (model.n_customers, model.n_not_segmented) == (59, 1)


def test_share_above_max_rejected_share_stops_with_features_reasons_and_vars() -> None:
    """31 of 60 (51.7%) left out is over 0.5: one line with the count, the cause and both vars."""
    recency = [f"c{i:02d}" for i in range(0, 30)]
    credit = ["c29", "c30"]  # c29 misses both: counted once in the total, once per feature
    features = _with_gaps(recency, credit)
    exclusions = Exclusions(reasons=_reasons(recency, credit), max_share=0.5)
    with pytest.raises(FeatureDataError) as info:
        validate_features(features, _config(), exclusions)
    assert str(info.value) == (
        "segmentation: 31 of 60 clean customers (51.7%) have no value for a selected feature and would be left "
        "out (limit: max_rejected_share = 0.5): recency_days missing for 30 (no_orders_and_no_signup_date 30); "
        "credit_score missing for 2 (missing_credit_score 2). Remove some of recency_days, credit_score from "
        "segment_features (e.g. --vars '{segment_features: [age]}') to segment them, or raise max_rejected_share "
        "(e.g. --vars '{max_rejected_share: 1}') to segment the other 29"
    )


def test_share_at_the_limit_passes() -> None:
    """Exactly max_rejected_share left out is allowed; only more stops the build."""
    recency = [f"c{i:02d}" for i in range(0, 30)]
    validated = validate_features(_with_gaps(recency), _config(), Exclusions(max_share=0.5))
    assert len(validated) == 30
    assert validated["customer_id"].is_monotonic_increasing


def test_nobody_left_stops_even_without_a_share_limit() -> None:
    """When every customer misses some selected feature there is nothing to segment, whatever the var says."""
    recency = [f"c{i:02d}" for i in range(0, 30)]
    credit = [f"c{i:02d}" for i in range(30, 60)]
    exclusions = Exclusions(reasons=_reasons(recency, credit), max_share=1.0)
    with pytest.raises(FeatureDataError) as info:
        validate_features(_with_gaps(recency, credit), _config(features=("recency_days", "credit_score")), exclusions)
    assert str(info.value) == (
        "segmentation: none of the 60 clean customers has a value for every selected feature: recency_days "
        "missing for 30 (no_orders_and_no_signup_date 30); credit_score missing for 30 (missing_credit_score 30). "
        "Remove some of recency_days, credit_score from segment_features"
    )


def test_reason_without_a_sql_row_reads_missing_feature() -> None:
    """A gap the SQL did not explain is still counted, as missing_<feature>."""
    with pytest.raises(FeatureDataError) as info:
        validate_features(_with_gaps(["c00", "c01"]), _config(), Exclusions(max_share=0.01))
    assert "recency_days missing for 2 (missing_recency_days 2). Remove recency_days from segment_features" in str(
        info.value
    )


def test_too_few_left_names_the_customers_left_out() -> None:
    """k needs more rows than remain after leaving customers out: the message says how many were left out."""
    recency = [f"c{i:02d}" for i in range(3, 60)]
    with pytest.raises(FeatureDataError) as info:
        validate_features(_with_gaps(recency), _config(), Exclusions(reasons=_reasons(recency)))
    assert str(info.value) == (
        "only 3 customer(s) to segment; k = 3 needs at least 4 "
        "(57 more left out: recency_days missing for 57 (no_orders_and_no_signup_date 57))"
    )


def test_feature_with_no_values_quotes_the_cause() -> None:
    """A selected feature null for everyone is an error with the cause the SQL found."""
    features = _features().assign(recency_days=np.nan)
    causes = {"recency_days": "there is no orders input (orders_path is not set)"}
    with pytest.raises(FeatureDataError) as info:
        validate_features(features, _config(), Exclusions(no_values_causes=causes))
    assert str(info.value) == (
        "feature 'recency_days' has no values: there is no orders input (orders_path is not set). "
        "Remove it from segment_features"
    )


def test_feature_with_no_values_without_a_known_cause() -> None:
    """Without a cause from SQL the message still names the feature and the var."""
    features = _features().assign(credit_score=None)
    with pytest.raises(FeatureDataError) as info:
        validate_features(features, _config())
    assert str(info.value) == (
        "feature 'credit_score' has no values: no customer has a value for it. Remove it from segment_features"
    )


@pytest.mark.parametrize(("raw", "expected"), [("0.5", 0.5), (0, 0.0), ("1", 1.0), (" 0.25 ", 0.25)])
def test_parse_share(raw: object, expected: float) -> None:
    assert parse_share("max_rejected_share", raw) == expected


@pytest.mark.parametrize("raw", ["half", "1.5", "-0.1", "nan", ""])
def test_parse_share_rejects_non_shares(raw: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_share("max_rejected_share", raw)
    assert str(info.value) == f"max_rejected_share: expected a number from 0 to 1, got {raw!r}"

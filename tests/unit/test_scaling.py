"""Scaling: stored parameters must reproduce the scaled data and map it back to original units."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_segmentation.config import SegmentationConfig
from customer_segmentation.scaling import (
    describe_transforms,
    fit_scaling,
    inverse_transform,
    signed_expm1,
    signed_log1p,
    transform,
)

FEATURES = ("age", "annual_income", "monetary_total")
# age (bounded), frequency (a count), annual_income and monetary_total (money)
SKEW_FEATURES = ("age", "frequency", "annual_income", "monetary_total")


def _features() -> pd.DataFrame:
    """Right-skewed money columns, with net refunds (negative monetary_total) and a zero."""
    rng = np.random.default_rng(0)
    n = 60
    return pd.DataFrame(
        {
            "customer_id": np.arange(n),
            "age": rng.integers(18, 80, n).astype(float),
            "annual_income": rng.lognormal(10, 1, n),
            "monetary_total": np.concatenate([[-250.0, -3.5, 0.0], rng.lognormal(5, 1.5, n - 3)]),
        }
    )


@pytest.mark.parametrize("scaler", ["standard", "robust"])
@pytest.mark.parametrize("log_features", ["none", "money"])
def test_transform_then_inverse_gives_back_the_original_values(scaler: str, log_features: str) -> None:
    """inverse_transform(transform(x)) == x, including negative money under the signed log."""
    frame = _features()
    config = SegmentationConfig(features=FEATURES, scaler=scaler, log_features=log_features)
    scaling = fit_scaling(frame, config)
    expected_transforms = ["none", "log1p", "log1p"] if log_features == "money" else ["none", "none", "none"]
    assert list(scaling["transform"]) == expected_transforms
    assert set(scaling["scaler"]) == {scaler}

    scaled = transform(frame, scaling)
    restored = inverse_transform(scaled, scaling)
    np.testing.assert_allclose(restored, frame.loc[:, list(FEATURES)].to_numpy(), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("log_features", ["none", "money"])
def test_standard_scaler_output_has_zero_mean_and_unit_variance(log_features: str) -> None:
    """The standard scaler centres and scales each (possibly log-transformed) column."""
    frame = _features()
    scaled = transform(frame, fit_scaling(frame, SegmentationConfig(features=FEATURES, log_features=log_features)))
    np.testing.assert_allclose(scaled.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(scaled.std(axis=0), 1.0, rtol=1e-12)


def test_robust_scaler_centres_on_the_median() -> None:
    """The robust scaler puts each column's median at 0."""
    frame = _features()
    scaled = transform(frame, fit_scaling(frame, SegmentationConfig(features=FEATURES, scaler="robust")))
    np.testing.assert_allclose(np.median(scaled, axis=0), 0.0, atol=1e-12)


def test_log_money_applies_signed_log1p_before_scaling() -> None:
    """With log_features: money, money columns are scaled on sign(x)·log1p(|x|); other columns are untouched."""
    frame = _features()
    scaling = fit_scaling(frame, SegmentationConfig(features=FEATURES, log_features="money"))
    scaled = transform(frame, scaling)
    money = frame["monetary_total"].to_numpy()
    logged = np.sign(money) * np.log1p(np.abs(money))
    np.testing.assert_allclose(scaled[:, 2], (logged - logged.mean()) / logged.std(), rtol=1e-9, atol=1e-12)
    age = frame["age"].to_numpy()
    np.testing.assert_allclose(scaled[:, 0], (age - age.mean()) / age.std(), rtol=1e-9, atol=1e-12)


def test_signed_log1p_keeps_sign_and_order_and_inverts() -> None:
    """Refunds stay negative and ordered, and signed_expm1 undoes signed_log1p."""
    values = np.array([-1e6, -250.0, -0.5, 0.0, 0.5, 3.0, 1e6])
    logged = signed_log1p(values)
    np.testing.assert_array_equal(np.sign(logged), np.sign(values))
    assert np.all(np.diff(logged) > 0)
    np.testing.assert_allclose(logged[1], -np.log1p(250.0))
    np.testing.assert_allclose(signed_expm1(logged), values, rtol=1e-12)


@pytest.mark.parametrize("scaler", ["standard", "robust"])
@pytest.mark.parametrize("log_features", ["none", "money"])
def test_constant_feature_scales_to_zero_without_nan(scaler: str, log_features: str) -> None:
    """A zero-variance feature gets scale 1 and scales to 0, and inverts back to its constant."""
    frame = _features().assign(annual_income=52_000.3)
    scaling = fit_scaling(frame, SegmentationConfig(features=FEATURES, scaler=scaler, log_features=log_features))
    scaled = transform(frame, scaling)
    assert np.isfinite(scaled).all()
    np.testing.assert_allclose(scaled[:, 1], 0.0, atol=1e-9)
    assert scaling.loc[scaling["feature_name"] == "annual_income", "scale"].item() == 1.0
    np.testing.assert_allclose(inverse_transform(scaled, scaling)[:, 1], 52_000.3, rtol=1e-12)


def test_transform_follows_feature_position_not_row_or_column_order() -> None:
    """Shuffled scaling rows (as read back from storage) and reordered input columns give the same result."""
    frame = _features()
    scaling = fit_scaling(frame, SegmentationConfig(features=FEATURES, log_features="money"))
    expected = transform(frame, scaling)
    shuffled_scaling = scaling.iloc[[2, 0, 1]].reset_index(drop=True)
    reordered_frame = frame[["monetary_total", "customer_id", "annual_income", "age"]]
    np.testing.assert_allclose(transform(reordered_frame, shuffled_scaling), expected)
    np.testing.assert_allclose(inverse_transform(expected, shuffled_scaling), frame.loc[:, list(FEATURES)].to_numpy())


def _skew_features() -> pd.DataFrame:
    """A heavy-tailed count, a mildly skewed money column, a heavy-tailed one, and a symmetric age."""
    rng = np.random.default_rng(1)
    n = 400
    return pd.DataFrame(
        {
            "customer_id": np.arange(n),
            "age": rng.normal(45, 10, n),
            "frequency": np.floor(rng.pareto(1.5, n) * 3 + 1),
            "annual_income": rng.gamma(9.0, 8.0, n),  # skewness about 2 / sqrt(9) = 0.67
            "monetary_total": rng.lognormal(5, 1.5, n),
        }
    )


@pytest.mark.parametrize(
    ("log_features", "expected"),
    [
        ("none", ["none", "none", "none", "none"]),
        ("money", ["none", "none", "log1p", "log1p"]),
        ("skewed", ["none", "log1p", "log1p", "log1p"]),
        ("auto", ["none", "log1p", "none", "log1p"]),
    ],
)
def test_log_features_modes_pick_count_and_money_features(log_features: str, expected: list[str]) -> None:
    """money: money columns; skewed: counts and money; auto: the counts and money above skew_threshold.

    age is skewed by nothing here but is never logged in any mode: it is neither a count nor money.
    """
    frame = _skew_features()
    scaling = fit_scaling(frame, SegmentationConfig(features=SKEW_FEATURES, log_features=log_features))
    assert list(scaling["transform"]) == expected
    skewness = dict(zip(scaling["feature_name"], scaling["skewness"], strict=True))
    assert skewness["frequency"] > 2.0 and skewness["monetary_total"] > 2.0
    assert 0 < skewness["annual_income"] < 2.0
    assert skewness["frequency"] == pytest.approx(frame["frequency"].skew())


def test_auto_follows_skew_threshold() -> None:
    """A lower threshold brings the mildly skewed income in; a higher one leaves everything as is."""
    frame = _skew_features()

    def logged(threshold: float) -> list[str]:
        config = SegmentationConfig(features=SKEW_FEATURES, log_features="auto", skew_threshold=threshold)
        scaling = fit_scaling(frame, config)
        return list(scaling.loc[scaling["transform"] == "log1p", "feature_name"])

    assert logged(0.3) == ["frequency", "annual_income", "monetary_total"]
    assert logged(1000.0) == []


def test_auto_leaves_a_constant_count_alone() -> None:
    """A constant column has no skewness (null); it is not logged and scales to 0."""
    frame = _skew_features().assign(frequency=3.0)
    scaling = fit_scaling(frame, SegmentationConfig(features=SKEW_FEATURES, log_features="auto"))
    row = scaling.set_index("feature_name").loc["frequency"]
    assert row["transform"] == "none" and pd.isna(row["skewness"])
    assert np.all(transform(frame, scaling)[:, 1] == 0.0)


def test_describe_transforms_says_what_was_logged_and_why() -> None:
    """The build log line names each logged feature with its skewness, and the candidates left alone."""
    frame = _skew_features()
    config = SegmentationConfig(features=SKEW_FEATURES, log_features="auto", skew_threshold=2.0)
    scaling = fit_scaling(frame, config)
    skew = dict(zip(scaling["feature_name"], scaling["skewness"], strict=True))
    assert describe_transforms(scaling, config) == (
        "log_features: auto, skew_threshold: 2: signed log1p on "
        f"frequency (skewness {skew['frequency']:.2f}), monetary_total (skewness {skew['monetary_total']:.2f}); "
        f"left as is: annual_income (skewness {skew['annual_income']:.2f})"
    )
    none = SegmentationConfig(features=SKEW_FEATURES, log_features="none")
    assert describe_transforms(fit_scaling(frame, none), none) == "log_features: none: no feature is log-transformed"

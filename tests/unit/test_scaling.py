"""Scaling: stored parameters must reproduce the scaled data and map it back to original units."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_segmentation.config import SegmentationConfig
from customer_segmentation.scaling import fit_scaling, inverse_transform, signed_expm1, signed_log1p, transform

FEATURES = ("age", "annual_income", "monetary_total")


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
@pytest.mark.parametrize("log_money", [False, True])
def test_transform_then_inverse_gives_back_the_original_values(scaler: str, log_money: bool) -> None:
    """inverse_transform(transform(x)) == x, including negative money under the signed log."""
    frame = _features()
    config = SegmentationConfig(features=FEATURES, scaler=scaler, log_money=log_money)
    scaling = fit_scaling(frame, config)
    expected_transforms = ["none", "log1p", "log1p"] if log_money else ["none", "none", "none"]
    assert list(scaling["transform"]) == expected_transforms
    assert set(scaling["scaler"]) == {scaler}

    scaled = transform(frame, scaling)
    restored = inverse_transform(scaled, scaling)
    np.testing.assert_allclose(restored, frame.loc[:, list(FEATURES)].to_numpy(), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("log_money", [False, True])
def test_standard_scaler_output_has_zero_mean_and_unit_variance(log_money: bool) -> None:
    """The standard scaler centres and scales each (possibly log-transformed) column."""
    frame = _features()
    scaled = transform(frame, fit_scaling(frame, SegmentationConfig(features=FEATURES, log_money=log_money)))
    np.testing.assert_allclose(scaled.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(scaled.std(axis=0), 1.0, rtol=1e-12)


def test_robust_scaler_centres_on_the_median() -> None:
    """The robust scaler puts each column's median at 0."""
    frame = _features()
    scaled = transform(frame, fit_scaling(frame, SegmentationConfig(features=FEATURES, scaler="robust")))
    np.testing.assert_allclose(np.median(scaled, axis=0), 0.0, atol=1e-12)


def test_log_money_applies_signed_log1p_before_scaling() -> None:
    """With log_money, money columns are scaled on sign(x)·log1p(|x|); other columns are untouched."""
    frame = _features()
    scaling = fit_scaling(frame, SegmentationConfig(features=FEATURES, log_money=True))
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
@pytest.mark.parametrize("log_money", [False, True])
def test_constant_feature_scales_to_zero_without_nan(scaler: str, log_money: bool) -> None:
    """A zero-variance feature gets scale 1 and scales to 0, and inverts back to its constant."""
    frame = _features().assign(annual_income=52_000.3)
    scaling = fit_scaling(frame, SegmentationConfig(features=FEATURES, scaler=scaler, log_money=log_money))
    scaled = transform(frame, scaling)
    assert np.isfinite(scaled).all()
    np.testing.assert_allclose(scaled[:, 1], 0.0, atol=1e-9)
    assert scaling.loc[scaling["feature_name"] == "annual_income", "scale"].item() == 1.0
    np.testing.assert_allclose(inverse_transform(scaled, scaling)[:, 1], 52_000.3, rtol=1e-12)


def test_transform_follows_feature_position_not_row_or_column_order() -> None:
    """Shuffled scaling rows (as read back from storage) and reordered input columns give the same result."""
    frame = _features()
    scaling = fit_scaling(frame, SegmentationConfig(features=FEATURES, log_money=True))
    expected = transform(frame, scaling)
    shuffled_scaling = scaling.iloc[[2, 0, 1]].reset_index(drop=True)
    reordered_frame = frame[["monetary_total", "customer_id", "annual_income", "age"]]
    np.testing.assert_allclose(transform(reordered_frame, shuffled_scaling), expected)
    np.testing.assert_allclose(inverse_transform(expected, shuffled_scaling), frame.loc[:, list(FEATURES)].to_numpy())

"""features: `segment_features: auto` picks the documented default for each input shape."""

from __future__ import annotations

import pandas as pd
import pytest

from customer_segmentation.config import AUTO_FEATURES, SegmentationConfig
from customer_segmentation.features import (
    DEFAULT_FEATURES,
    available_features,
    input_shape,
    resolve_features,
)

AUTO = SegmentationConfig(features=(AUTO_FEATURES,))
N = 6
DEMO_FEATURES = (
    "age",
    "annual_income",
    "spending_score",
    "recency_days",
    "frequency",
    "avg_order_value",
    "discount_share",
)


def feature_table(*, demographics: bool, orders: bool, discounts: bool = True) -> pd.DataFrame:
    """A table shaped like int_customers_features_joined; absent inputs leave their columns all null."""

    def column(values: list[float], present: bool) -> pd.Series:
        return pd.Series(values if present else [None] * N, dtype="float64")

    return pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(N)],
            "age": column([20, 30, 40, 50, 60, 70], demographics),
            "annual_income": column([15, 40, 60, 80, 100, 130], demographics),
            "credit_score": column([600, 650, 700, 720, 750, 800], demographics),
            # the input's spending score, or one derived from RFM when there are orders
            "spending_score": column([10, 30, 50, 60, 80, 95], demographics or orders),
            "recency_days": column([1, 5, 20, 40, 90, 200], orders),
            "frequency": column([9, 7, 5, 3, 2, 1], orders),
            "monetary_total": column([900, 700, 500, 300, 200, 100], orders),
            "avg_order_value": column([100, 100, 100, 100, 100, 100], orders),
            "tenure_days": column([400, 300, 200, 100, 50, 10], orders),
            "discount_share": column([0, 0.1, 0.2, 0.5, 0.8, 1], orders and discounts),
            "as_of_date": pd.Timestamp("2024-12-31"),
        }
    )


def test_demographics_and_orders_default() -> None:
    """With customers and orders, auto is the seven demo features, in documented order."""
    features = feature_table(demographics=True, orders=True)
    assert input_shape(features) == "demographics_and_orders"
    assert resolve_features(AUTO, features).features == DEMO_FEATURES


def test_demographics_only_default() -> None:
    """With customers only (RFM all null), auto is age, annual_income and spending_score."""
    features = feature_table(demographics=True, orders=False)
    assert input_shape(features) == "demographics_only"
    assert resolve_features(AUTO, features).features == ("age", "annual_income", "spending_score")


def test_orders_only_default_with_discounts() -> None:
    """With orders only (age/income null), auto is RFM plus discount_share when it has values."""
    features = feature_table(demographics=False, orders=True)
    assert input_shape(features) == "orders_only"
    assert resolve_features(AUTO, features).features == (
        "recency_days",
        "frequency",
        "monetary_total",
        "discount_share",
    )


def test_orders_only_default_without_discounts() -> None:
    """Without discount data, orders-only auto is recency, frequency and monetary value."""
    features = feature_table(demographics=False, orders=True, discounts=False)
    assert input_shape(features) == "orders_only"
    assert resolve_features(AUTO, features).features == ("recency_days", "frequency", "monetary_total")


def test_partly_null_column_is_still_chosen() -> None:
    """A default column with a null for a few customers is chosen: those customers are left out, not the feature."""
    features = feature_table(demographics=True, orders=True)
    features.loc[2, "recency_days"] = None
    assert resolve_features(AUTO, features).features == DEMO_FEATURES
    assert input_shape(features) == "demographics_and_orders"


def test_explicit_features_are_kept() -> None:
    """An explicit list is returned untouched, even for columns auto would not pick."""
    config = SegmentationConfig(features=("credit_score", "tenure_days"), n_clusters=3)
    features = feature_table(demographics=False, orders=True)
    assert resolve_features(config, features) is config


def test_resolve_keeps_the_other_settings() -> None:
    """Only the features change when auto is resolved."""
    config = SegmentationConfig(features=(AUTO_FEATURES,), n_clusters=4, scaler="robust", log_features="money")
    resolved = resolve_features(config, feature_table(demographics=True, orders=False))
    assert (resolved.n_clusters, resolved.scaler, resolved.log_features) == (4, "robust", "money")
    assert resolved.log_candidates == ("annual_income",)


def test_no_usable_feature_is_an_error() -> None:
    """When no default column has a value for anyone, auto fails naming segment_features."""
    features = feature_table(demographics=False, orders=False)
    features["credit_score"] = [600.0] * N
    assert input_shape(features) == "demographics_only"
    with pytest.raises(ValueError, match=r"^segment_features: no default feature has a value for any customer") as info:
        resolve_features(AUTO, features)
    assert "['credit_score']" in str(info.value)


def test_no_rows_is_an_error() -> None:
    """An empty feature table has no usable column."""
    features = feature_table(demographics=True, orders=True).iloc[0:0]
    assert available_features(features) == []
    with pytest.raises(ValueError, match=r"^segment_features: "):
        resolve_features(AUTO, features)


def test_available_features_are_numeric_with_values() -> None:
    """customer_id, dates and text never count as features; all-null columns do not either; partly null ones do."""
    features = feature_table(demographics=True, orders=False)
    features["region"] = "North"
    features.loc[[0, 3], "credit_score"] = None
    assert available_features(features) == ["age", "annual_income", "credit_score", "spending_score"]


def test_defaults_table_matches_the_docs() -> None:
    """Every shape input_shape can return has a default list."""
    assert set(DEFAULT_FEATURES) == {"demographics_and_orders", "demographics_only", "orders_only"}
    assert DEFAULT_FEATURES["demographics_and_orders"] == DEMO_FEATURES

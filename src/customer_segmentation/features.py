"""Which features to cluster on when segment_features is "auto": the default adapts to the data.

Three input shapes are supported, told apart by which feature columns have values:

- demographics and orders (the demo): age, income, spending score and RFM behaviour;
- demographics only (e.g. Mall Customers): age, income and the provided spending score;
- orders only (a transactions export): recency, frequency, monetary value (+ discount share).

Each default keeps the columns the data has (a value for at least one customer). A customer
without a value of a chosen feature is left out of the segmentation, not the feature: one
customer with no orders and no signup date must not take recency away from everyone else.

The defaults and the columns that tell the shape come from the feature registry
(seeds/feature_registry.csv, see registry.py): its default_for column, in registry order, and
its input column. Only default features tell the shape, so an optional customers column
(a credit score) does not make an orders export look like one with demographics.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pandas as pd

from customer_segmentation import registry
from customer_segmentation.config import AUTO_FEATURES, SegmentationConfig

# Each input shape's default, in registry order (the registry is read once, on import).
DEFAULT_FEATURES: dict[str, tuple[str, ...]] = {
    shape: registry.default_features(shape) for shape in registry.INPUT_SHAPES
}


def shape_columns(input_name: str) -> tuple[str, ...]:
    """The default features computed from one input (customers or orders): a value in any says it is there."""
    return tuple(f.name for f in registry.features() if f.input == input_name and f.default_for)


def available_features(features: pd.DataFrame) -> list[str]:
    """Numeric columns with a value for at least one row: the ones the input has."""
    return [
        column
        for column in features.columns
        if column != "customer_id"
        and pd.api.types.is_numeric_dtype(features[column])
        and features[column].notna().any()
    ]


def missing_feature_mask(features: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """True where a row has no value for a column: such a row cannot be placed in the feature space."""
    return features.loc[:, list(columns)].isna()


def complete_rows(features: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The rows with a value in every one of `columns`: the customers that can be segmented."""
    return features.loc[~missing_feature_mask(features, columns).any(axis=1)]


def input_shape(features: pd.DataFrame) -> str:
    """demographics_and_orders, demographics_only or orders_only, from which columns have values."""
    available = set(available_features(features))
    has_demographics = any(c in available for c in shape_columns("customers"))
    has_orders = any(c in available for c in shape_columns("orders"))
    if has_demographics and has_orders:
        return "demographics_and_orders"
    return "orders_only" if has_orders else "demographics_only"


def resolve_features(config: SegmentationConfig, features: pd.DataFrame) -> SegmentationConfig:
    """The config with "auto" replaced by the default for the data's shape; explicit lists are kept."""
    if config.features != (AUTO_FEATURES,):
        return config
    available = set(available_features(features))
    chosen = tuple(f for f in DEFAULT_FEATURES[input_shape(features)] if f in available)
    if not chosen:
        raise ValueError(
            "segment_features: no default feature has a value for any customer; "
            f"columns with values: {sorted(available)}. Set segment_features explicitly"
        )
    return dataclasses.replace(config, features=chosen)

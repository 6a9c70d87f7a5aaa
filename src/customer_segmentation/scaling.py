"""Feature scaling, fitted with scikit-learn and kept as plain data.

The fitted parameters are stored in the `feature_scaling` mart, so the model can be
read, audited and reapplied without a pickled object: scaled = (f(x) - center) / scale,
where f is a signed log1p for log-transformed features and the identity otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.preprocessing import RobustScaler, StandardScaler

from customer_segmentation.config import SegmentationConfig


def signed_log1p(values: np.ndarray) -> np.ndarray:
    """log1p that keeps the sign, so net refunds (negative money) stay defined and ordered."""
    return np.sign(values) * np.log1p(np.abs(values))


def signed_expm1(values: np.ndarray) -> np.ndarray:
    """Inverse of signed_log1p."""
    return np.sign(values) * np.expm1(np.abs(values))


def fit_scaling(features: pd.DataFrame, config: SegmentationConfig) -> pd.DataFrame:
    """Fit the configured scaler on the feature columns; returns one row of parameters per feature."""
    raw = features.loc[:, list(config.features)].to_numpy(dtype=float)
    transforms = ["log1p" if f in config.log_features else "none" for f in config.features]
    transformed = _apply_transforms(raw, transforms)
    scaler = StandardScaler() if config.scaler == "standard" else RobustScaler()
    scaler.fit(transformed)
    center = scaler.mean_ if config.scaler == "standard" else scaler.center_
    return pd.DataFrame(
        {
            "feature_name": list(config.features),
            "feature_position": np.arange(1, len(config.features) + 1),
            "scaler": config.scaler,
            "transform": transforms,
            "center": np.asarray(center, dtype=float),
            # scikit-learn already replaces a zero spread with 1, so constant features scale to 0.
            "scale": np.asarray(scaler.scale_, dtype=float),
        }
    )


def transform(features: pd.DataFrame, scaling: pd.DataFrame) -> np.ndarray:
    """Scale the feature columns named in `scaling`, in its order."""
    ordered = scaling.sort_values("feature_position")
    raw = features.loc[:, list(ordered["feature_name"])].to_numpy(dtype=float)
    transformed = _apply_transforms(raw, list(ordered["transform"]))
    return (transformed - ordered["center"].to_numpy()) / ordered["scale"].to_numpy()


def inverse_transform(scaled: np.ndarray, scaling: pd.DataFrame) -> np.ndarray:
    """Map scaled points (e.g. centroids) back to original units."""
    ordered = scaling.sort_values("feature_position")
    unscaled = scaled * ordered["scale"].to_numpy() + ordered["center"].to_numpy()
    result = unscaled.copy()
    for column, kind in enumerate(ordered["transform"]):
        if kind == "log1p":
            result[:, column] = signed_expm1(unscaled[:, column])
    return result


def _apply_transforms(raw: np.ndarray, transforms: list[str]) -> np.ndarray:
    result = raw.copy()
    for column, kind in enumerate(transforms):
        if kind == "log1p":
            result[:, column] = signed_log1p(raw[:, column])
    return result

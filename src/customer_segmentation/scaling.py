"""Feature scaling, fitted with scikit-learn and kept as plain data.

The fitted parameters are stored in the `feature_scaling` mart, so the model can be
read, audited and reapplied without a pickled object: scaled = (f(x) - center) / scale,
where f is a signed log1p for log-transformed features and the identity otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.preprocessing import RobustScaler, StandardScaler

from customer_segmentation.config import ConfigError, SegmentationConfig


def signed_log1p(values: np.ndarray) -> np.ndarray:
    """log1p that keeps the sign, so net refunds (negative money) stay defined and ordered."""
    return np.sign(values) * np.log1p(np.abs(values))


def signed_expm1(values: np.ndarray) -> np.ndarray:
    """Inverse of signed_log1p."""
    return np.sign(values) * np.expm1(np.abs(values))


def choose_transforms(features: pd.DataFrame, config: SegmentationConfig) -> pd.DataFrame:
    """Per feature: its sample skewness and whether it gets a signed log1p, by the log_features mode.

    none: nothing; money: the money features; skewed: every count and money feature;
    auto: each count or money feature whose skewness exceeds skew_threshold. Skewness is
    pandas' Series.skew() (the adjusted Fisher-Pearson G1) of the raw values, null when it is
    undefined (a constant column), and such a feature is not logged.
    """
    candidates = set(config.log_candidates)
    skewness = [features[f].astype(float).skew() for f in config.features]
    transforms = [
        "log1p"
        if f in candidates and (config.log_features != "auto" or (pd.notna(s) and s > config.skew_threshold))
        else "none"
        for f, s in zip(config.features, skewness, strict=True)
    ]
    return pd.DataFrame({"feature_name": list(config.features), "skewness": skewness, "transform": transforms})


def describe_transforms(scaling: pd.DataFrame, config: SegmentationConfig) -> str:
    """One line for the build log: which features were logged and why, which count or money features were not."""
    logged = scaling[scaling["transform"] == "log1p"]
    kept = scaling[(scaling["transform"] == "none") & scaling["feature_name"].isin(config.log_candidates)]

    def listed(rows: pd.DataFrame) -> str:
        return ", ".join(f"{r.feature_name} (skewness {r.skewness:.2f})" for r in rows.itertuples()) or "no feature"

    mode = f"log_features: {config.log_features}"
    if config.log_features == "auto":
        mode += f", skew_threshold: {config.skew_threshold:g}"
    if config.log_features == "none":
        return f"{mode}: no feature is log-transformed"
    return f"{mode}: signed log1p on {listed(logged)}; left as is: {listed(kept)}"


def fit_scaling(features: pd.DataFrame, config: SegmentationConfig) -> pd.DataFrame:
    """Fit the configured scaler on the feature columns; returns one row of parameters per feature."""
    raw = features.loc[:, list(config.features)].to_numpy(dtype=float)
    chosen = choose_transforms(features, config)
    transforms = list(chosen["transform"])
    transformed = _apply_transforms(raw, transforms)
    if config.scaler == "standard":
        scaler = StandardScaler().fit(transformed)
        center = scaler.mean_
    elif config.scaler == "robust":
        scaler = RobustScaler().fit(transformed)
        center = scaler.center_
    else:
        raise ConfigError(f"scaler: expected 'standard' or 'robust', got {config.scaler!r}")
    return pd.DataFrame(
        {
            "feature_name": list(config.features),
            "feature_position": np.arange(1, len(config.features) + 1),
            "scaler": config.scaler,
            "transform": transforms,
            "skewness": chosen["skewness"].to_numpy(dtype=float),
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

"""Fit a segmentation on a feature table, and apply a fitted one: the two steps the dbt models call.

`fit_segmentation` returns the whole model as data (scaling, k sweep, centroids, names)
so that it can be stored as one row and reapplied by `assign_segments`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from customer_segmentation import __version__
from customer_segmentation.clustering import assign_to_centroids, fit_kmeans
from customer_segmentation.config import SegmentationConfig
from customer_segmentation.features import input_shape, resolve_features
from customer_segmentation.naming import name_segments
from customer_segmentation.scaling import fit_scaling, inverse_transform, transform
from customer_segmentation.selection import KChoice, choose_k, sweep_k

ID_COLUMN = "customer_id"


class FeatureDataError(ValueError):
    """The feature table cannot be segmented as configured; the message says which column or why."""


@dataclass(frozen=True)
class SegmentationModel:
    """A fitted segmentation, entirely as data."""

    config: SegmentationConfig
    choice: KChoice
    scaling: pd.DataFrame  # one row per feature
    model_selection: pd.DataFrame  # one row per k tried
    centroids: pd.DataFrame  # one row per segment and feature
    segments: pd.DataFrame  # one row per segment
    n_customers: int
    inertia: float
    model_version: str
    input_shape: str

    @property
    def chosen_silhouette(self) -> float | None:
        row = self.model_selection.loc[self.model_selection["k"] == self.choice.k, "silhouette"]
        return None if row.empty or pd.isna(row.iloc[0]) else float(row.iloc[0])


def validate_features(features: pd.DataFrame, config: SegmentationConfig) -> pd.DataFrame:
    """Check the table can be clustered; returns it sorted by customer id (K-Means depends on row order)."""
    missing = [c for c in (ID_COLUMN, *config.features) if c not in features.columns]
    if missing:
        raise FeatureDataError(
            f"segment_features: column(s) {missing} are not in the feature table; "
            f"available: {sorted(c for c in features.columns if c != ID_COLUMN)}"
        )
    for feature in config.features:
        values = pd.to_numeric(features[feature], errors="coerce")
        bad = int((~np.isfinite(values.to_numpy(dtype=float))).sum())
        if bad and bad == len(features):
            raise FeatureDataError(
                f"feature {feature!r} has no values: the input has no data for it "
                "(e.g. no orders, or no such column); choose other segment_features"
            )
        if bad:
            raise FeatureDataError(f"feature {feature!r}: {bad} row(s) are null or not finite numbers")
    if features[ID_COLUMN].duplicated().any():
        raise FeatureDataError(f"{ID_COLUMN}: the feature table has duplicate customer ids")
    needed = max(config.n_clusters, config.k_min)
    if len(features) <= needed:
        raise FeatureDataError(f"only {len(features)} customer(s) to segment; k = {needed} needs at least {needed + 1}")
    return features.sort_values(ID_COLUMN, kind="stable").reset_index(drop=True)


def candidate_ks(config: SegmentationConfig, n_rows: int) -> list[int]:
    """The ks to sweep: the configured range, capped below the row count, plus a forced k."""
    ks = set(range(config.k_min, min(config.k_max, n_rows - 1) + 1))
    if config.n_clusters:
        ks.add(config.n_clusters)
    return sorted(ks)


def fit_segmentation(features: pd.DataFrame, config: SegmentationConfig) -> SegmentationModel:
    """Scale, sweep k on a sample, choose k, fit on all rows, order and name the segments.

    `segment_features: auto` is resolved here, from the columns that have values.
    """
    try:
        config = resolve_features(config, features)
    except ValueError as error:
        raise FeatureDataError(str(error)) from error
    features = validate_features(features, config)
    scaling = fit_scaling(features, config)
    scaled = transform(features, scaling)

    sweep = sweep_k(
        scaled,
        candidate_ks(config, len(features)),
        random_seed=config.random_seed,
        n_init=config.n_init,
        silhouette_sample_size=config.silhouette_sample_size,
        fit_sample_threshold=config.fit_sample_threshold,
    )
    choice = choose_k(sweep, config.n_clusters)
    sweep["is_elbow"] = sweep["k"] == choice.elbow_k
    sweep["is_best_silhouette"] = sweep["k"] == choice.best_silhouette_k
    sweep["is_chosen"] = sweep["k"] == choice.k

    fitted = fit_kmeans(scaled, choice.k, random_seed=config.random_seed, n_init=config.n_init)
    original = inverse_transform(fitted.centers, scaling)
    raw = features.loc[:, list(config.features)].to_numpy(dtype=float)
    overall_mean = raw.mean(axis=0)
    overall_std = raw.std(axis=0)
    z_scores = np.divide(original - overall_mean, overall_std, out=np.zeros_like(original), where=overall_std > 0)
    names = name_segments(z_scores, list(config.features))

    segment_ids = np.arange(1, choice.k + 1)
    sizes = np.bincount(fitted.segment_ids, minlength=choice.k + 1)[1:]
    segments = pd.DataFrame({"segment_id": segment_ids, "segment_name": names, "n_customers": sizes})
    n_features = len(config.features)
    centroids = pd.DataFrame(
        {
            "segment_id": np.repeat(segment_ids, n_features),
            "segment_name": np.repeat(names, n_features),
            "feature_name": np.tile(list(config.features), choice.k),
            "feature_position": np.tile(np.arange(1, n_features + 1), choice.k),
            "scaled_value": fitted.centers.ravel(),
            "original_value": original.ravel(),
            "overall_mean": np.tile(overall_mean, choice.k),
            "overall_std": np.tile(overall_std, choice.k),
            "z_score": z_scores.ravel(),
        }
    )
    return SegmentationModel(
        config=config,
        choice=choice,
        scaling=scaling,
        model_selection=sweep,
        centroids=centroids,
        segments=segments,
        n_customers=len(features),
        inertia=fitted.inertia,
        model_version=_model_version(config, scaling, fitted.centers),
        input_shape=input_shape(features),
    )


def assign_segments(features: pd.DataFrame, scaling: pd.DataFrame, centroids: pd.DataFrame) -> pd.DataFrame:
    """Apply a stored model: each customer's nearest segment and the distance to its centroid."""
    ordered = centroids.sort_values(["segment_id", "feature_position"])
    n_features = len(scaling)
    centers = ordered["scaled_value"].to_numpy(dtype=float).reshape(-1, n_features)
    names = ordered.drop_duplicates("segment_id")["segment_name"].to_numpy()
    features = features.sort_values(ID_COLUMN, kind="stable").reset_index(drop=True)
    segment_ids, distances = assign_to_centroids(transform(features, scaling), centers)
    return pd.DataFrame(
        {
            ID_COLUMN: features[ID_COLUMN].to_numpy(),
            "segment_id": segment_ids,
            "segment_name": names[segment_ids - 1],
            "distance_to_centroid": distances,
        }
    )


def _model_version(config: SegmentationConfig, scaling: pd.DataFrame, centers: np.ndarray) -> str:
    """A short hash of everything that defines the fitted model, to tell runs apart."""
    payload = {
        "package": __version__,
        "config": {k: getattr(config, k) for k in config.__dataclass_fields__},
        "scaling": scaling[["feature_name", "transform", "center", "scale"]].round(10).to_dict("records"),
        "centers": np.round(centers, 10).tolist(),
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
    return digest[:12]

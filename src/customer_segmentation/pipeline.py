"""Fit a segmentation on a feature table, and apply a fitted one: the two steps the dbt models call.

`fit_segmentation` returns the whole model as data (scaling, k sweep, centroids, names)
so that it can be stored as one row and reapplied by `assign_segments`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from customer_segmentation import __version__
from customer_segmentation.clustering import (
    FittedClusters,
    assign_by_likelihood,
    fit_kmeans,
    fit_mixture,
    fit_ward,
    mixture_clusters,
)
from customer_segmentation.config import SegmentationConfig
from customer_segmentation.features import complete_rows, input_shape, missing_feature_mask, resolve_features
from customer_segmentation.matching import PreviousSegments, match_segments
from customer_segmentation.naming import name_segments
from customer_segmentation.sampling import seeded_sample
from customer_segmentation.scaling import fit_scaling, inverse_transform, transform
from customer_segmentation.selection import KChoice, choose_by_bic, choose_k, score_fit, sweep_k

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
    n_not_segmented: int  # clean customers left out: no value for a selected feature
    inertia: float
    model_version: str
    input_shape: str
    previous_model_version: str | None = None  # the run whose ids and names were followed (matching.py)
    sample_disagreements: int = 0  # agglomerative: sampled customers whose Ward cluster is not their nearest centre

    @property
    def chosen_silhouette(self) -> float | None:
        row = self.model_selection.loc[self.model_selection["k"] == self.choice.k, "silhouette"]
        return None if row.empty or pd.isna(row.iloc[0]) else float(row.iloc[0])


@dataclass(frozen=True)
class Exclusions:
    """Customers the segmentation leaves out, and why, as the SQL models determined it.

    `reasons` has one row per customer and feature without a value (customer_id, feature_name,
    reason: int_customers_features_missing); `no_values_causes` maps a feature with no value at all
    to the likely cause in words (int_customers_features_summarized). Both only explain: which rows
    are left out is decided here, from the feature table itself.
    """

    reasons: pd.DataFrame | None = None
    no_values_causes: Mapping[str, str] | None = None
    max_share: float | None = None  # the max_rejected_share var; None = any share is accepted


def validate_features(
    features: pd.DataFrame, config: SegmentationConfig, exclusions: Exclusions | None = None
) -> pd.DataFrame:
    """Check the table can be clustered; returns the rows that can be, sorted by customer id.

    Rows with no value in a selected feature are left out (customers_not_segmented says why); the
    build stops only when a feature has no value at all, when more than max_rejected_share of the
    customers would be left out, or when too few remain for k. K-Means depends on row order, hence the sort.
    """
    exclusions = exclusions or Exclusions()
    missing = [c for c in (ID_COLUMN, *config.features) if c not in features.columns]
    if missing:
        raise FeatureDataError(
            f"segment_features: column(s) {missing} are not in the feature table; "
            f"available: {sorted(c for c in features.columns if c != ID_COLUMN)}"
        )
    for feature in config.features:
        values = pd.to_numeric(features[feature], errors="coerce")
        if values.notna().sum() == 0 and len(features):
            cause = (exclusions.no_values_causes or {}).get(feature) or "no customer has a value for it"
            raise FeatureDataError(f"feature {feature!r} has no values: {cause}. Remove it from segment_features")
        infinite = int(np.isinf(values.to_numpy(dtype=float, na_value=np.nan)).sum())
        if infinite or values.isna().sum() != features[feature].isna().sum():
            raise FeatureDataError(f"feature {feature!r}: some values are not finite numbers")
    if features[ID_COLUMN].duplicated().any():
        raise FeatureDataError(f"{ID_COLUMN}: the feature table has duplicate customer ids")
    kept = complete_rows(features, config.features)
    left_out = len(features) - len(kept)
    if left_out:
        _check_left_out(features, config, exclusions, left_out)
    needed = max(config.n_clusters, config.k_min)
    if len(kept) <= needed:
        also = f" ({left_out} more left out: {_left_out_summary(features, config, exclusions)})" if left_out else ""
        raise FeatureDataError(
            f"only {len(kept)} customer(s) to segment; k = {needed} needs at least {needed + 1}{also}"
        )
    return kept.sort_values(ID_COLUMN, kind="stable").reset_index(drop=True)


def _left_out_summary(features: pd.DataFrame, config: SegmentationConfig, exclusions: Exclusions) -> str:
    """'recency_days missing for 4 (no_orders_and_no_signup_date 4)', per selected feature with gaps."""
    mask = missing_feature_mask(features, config.features)
    reasons = exclusions.reasons
    parts = []
    for feature in config.features:
        ids = features.loc[mask[feature], ID_COLUMN]
        if ids.empty:
            continue
        if reasons is not None and not reasons.empty:
            known = reasons.loc[(reasons["feature_name"] == feature) & reasons[ID_COLUMN].isin(ids), "reason"]
            counts = known.value_counts().sort_index()  # by code, so that ties below read alphabetically
        else:
            counts = pd.Series(dtype=int)
        unexplained = len(ids) - int(counts.sum())
        if unexplained:
            counts[f"missing_{feature}"] = counts.get(f"missing_{feature}", 0) + unexplained
        detail = ", ".join(
            f"{reason} {count:,}" for reason, count in counts.sort_values(ascending=False, kind="stable").items()
        )
        parts.append(f"{feature} missing for {len(ids):,} ({detail})")
    return "; ".join(parts)


def _check_left_out(features: pd.DataFrame, config: SegmentationConfig, exclusions: Exclusions, left_out: int) -> None:
    """Stop when nobody or too large a share would be segmented, naming the features and the vars."""
    mask = missing_feature_mask(features, config.features)
    gaps = [f for f in config.features if mask[f].any()]
    others = [f for f in config.features if f not in gaps]
    drop = f"Remove {gaps[0]}" if len(gaps) == 1 else f"Remove some of {', '.join(gaps)}"
    drop += " from segment_features"
    if others:
        drop += f" (e.g. --vars '{{segment_features: [{', '.join(others)}]}}')"
    summary = _left_out_summary(features, config, exclusions)
    total = len(features)
    if left_out == total:
        raise FeatureDataError(
            f"segmentation: none of the {total:,} clean customers has a value for every selected feature: "
            f"{summary}. {drop}"
        )
    share = left_out / total
    if exclusions.max_share is not None and share > exclusions.max_share:
        raise FeatureDataError(
            f"segmentation: {left_out:,} of {total:,} clean customers ({share:.1%}) have no value for a selected "
            f"feature and would be left out (limit: max_rejected_share = {exclusions.max_share:g}): {summary}. "
            f"{drop} to segment them, or raise max_rejected_share (e.g. --vars '{{max_rejected_share: 1}}') "
            f"to segment the other {total - left_out:,}"
        )


def candidate_ks(config: SegmentationConfig, n_rows: int) -> list[int]:
    """The ks to sweep when k is chosen automatically: the configured range, capped below the row count."""
    return list(range(config.k_min, min(config.k_max, n_rows - 1) + 1))


def fit_segmentation(
    features: pd.DataFrame,
    config: SegmentationConfig,
    exclusions: Exclusions | None = None,
    previous: PreviousSegments | None = None,
) -> SegmentationModel:
    """Scale, choose k (a sweep on a sample, unless n_clusters fixes it), fit, order and name the segments.

    `segment_features: auto` is resolved here, from the columns that have values. Customers with
    no value for a selected feature are left out (see validate_features). With a `previous` run,
    segments that match one of its segments keep its id and name (matching.py).
    """
    try:
        config = resolve_features(config, features)
    except ValueError as error:
        raise FeatureDataError(str(error)) from error
    n_clean = len(features)
    features = validate_features(features, config, exclusions)
    scaling = fit_scaling(features, config)
    scaled = transform(features, scaling)

    if config.algorithm == "gmm":
        sweep, choice, fitted = _fit_gmm(scaled, config)
    elif config.n_clusters:
        # A fixed k needs no sweep: one fit, scored on the sample a sweep would have used.
        fitted = _final_fit(scaled, config.n_clusters, config)
        rows = seeded_sample(len(scaled), config.fit_sample_threshold, config.random_seed)
        sweep = pd.DataFrame(
            [
                score_fit(
                    scaled[rows],
                    config.n_clusters,
                    fitted.segment_ids[rows],
                    float(np.square(fitted.distances[rows]).sum()),
                    random_seed=config.random_seed,
                    silhouette_sample_size=config.silhouette_sample_size,
                )
            ]
        )
        choice = choose_k(sweep, config.n_clusters)
    else:
        sweep = sweep_k(
            scaled,
            candidate_ks(config, len(features)),
            random_seed=config.random_seed,
            n_init=config.n_init,
            silhouette_sample_size=config.silhouette_sample_size,
            fit_sample_threshold=config.fit_sample_threshold,
        )
        choice = choose_k(sweep)
        fitted = _final_fit(scaled, choice.k, config)
    if "bic" not in sweep:
        sweep["bic"] = np.nan  # only the mixture's sweep has a BIC
    sweep["is_elbow"] = sweep["k"] == choice.elbow_k
    sweep["is_best_silhouette"] = sweep["k"] == choice.best_silhouette_k
    sweep["is_chosen"] = sweep["k"] == choice.k

    original = inverse_transform(fitted.centers, scaling)
    raw = features.loc[:, list(config.features)].to_numpy(dtype=float)
    overall_mean = raw.mean(axis=0)
    overall_std = raw.std(axis=0)
    z_scores = np.divide(original - overall_mean, overall_std, out=np.zeros_like(original), where=overall_std > 0)
    generated_names = name_segments(z_scores, list(config.features))
    match = match_segments(fitted.centers, generated_names, scaling, previous, config.match_max_distance)
    segment_ids, names = match.segment_ids, match.names

    sizes = np.bincount(fitted.segment_ids, minlength=choice.k + 1)[1:]
    segments = pd.DataFrame(
        {
            "segment_id": segment_ids,
            "segment_name": names,
            "generated_name": generated_names,
            "n_customers": sizes,
            "previous_segment_id": pd.array(match.previous_segment_ids, dtype="Int64"),
            "match_distance": pd.array(match.match_distances, dtype="Float64"),
        }
    )
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
            # What the scoring rule needs besides the centre (clustering.py): 1 and 1/k but for gmm.
            "variance": fitted.variances.ravel(),
            "mixture_weight": np.repeat(fitted.weights, n_features),
        }
    )
    # Matched ids follow the previous run, so the fit's stable order is no longer id order.
    segments = segments.sort_values("segment_id", ignore_index=True)
    centroids = centroids.sort_values(["segment_id", "feature_position"], ignore_index=True)
    return SegmentationModel(
        config=config,
        choice=choice,
        scaling=scaling,
        model_selection=sweep,
        centroids=centroids,
        segments=segments,
        n_customers=len(features),
        n_not_segmented=n_clean - len(features),
        inertia=fitted.inertia,
        model_version=_model_version(config, scaling, fitted, segments),
        input_shape=input_shape(features),
        previous_model_version=match.previous_model_version,
        sample_disagreements=fitted.sample_disagreements,
    )


def _final_fit(scaled: np.ndarray, k: int, config: SegmentationConfig) -> FittedClusters:
    """The final fit of the chosen k: K-Means (restarts on the sweep's sample, refined on every row) or Ward."""
    if config.algorithm == "agglomerative":
        return fit_ward(scaled, k, random_seed=config.random_seed, sample_size=config.ward_sample_size)
    return fit_kmeans(
        scaled, k, random_seed=config.random_seed, n_init=config.n_init, sample_size=config.fit_sample_threshold
    )


def _fit_gmm(scaled: np.ndarray, config: SegmentationConfig) -> tuple[pd.DataFrame, KChoice, FittedClusters]:
    """Diagonal Gaussian mixtures for every candidate k on the sweep's sample; k by the lowest BIC.

    Each mixture is scored like a K-Means fit (its components as the clusters, inertia to their
    means) with its BIC added. The chosen mixture assigns every row to its most likely component.
    """
    sample = scaled[seeded_sample(len(scaled), config.fit_sample_threshold, config.random_seed)]
    ks = [config.n_clusters] if config.n_clusters else candidate_ks(config, len(scaled))
    records, mixtures = [], {}
    for k in ks:
        mixtures[k] = fit_mixture(sample, k, random_seed=config.random_seed)
        clusters = mixture_clusters(sample, mixtures[k])
        row = score_fit(
            sample,
            k,
            clusters.segment_ids,
            clusters.inertia,
            random_seed=config.random_seed,
            silhouette_sample_size=config.silhouette_sample_size,
        )
        records.append({**row, "bic": float(mixtures[k].bic(sample))})
    sweep = pd.DataFrame.from_records(records)
    choice = choose_k(sweep, config.n_clusters) if config.n_clusters else choose_by_bic(sweep)
    return sweep, choice, mixture_clusters(scaled, mixtures[choice.k])


def assign_segments(features: pd.DataFrame, scaling: pd.DataFrame, centroids: pd.DataFrame) -> pd.DataFrame:
    """Apply a stored model: each customer's segment by the scoring rule (clustering.py), and its distance.

    Customers with no value for one of the model's features are left out, exactly as in the fit.
    """
    ordered = centroids.sort_values(["segment_id", "feature_position"])
    n_features = len(scaling)
    centers = ordered["scaled_value"].to_numpy(dtype=float).reshape(-1, n_features)
    variances = ordered["variance"].to_numpy(dtype=float).reshape(-1, n_features)
    weights = ordered["mixture_weight"].to_numpy(dtype=float).reshape(-1, n_features)[:, 0]
    segments = ordered.drop_duplicates("segment_id")
    ids, names = segments["segment_id"].to_numpy(dtype=np.int64), segments["segment_name"].to_numpy()
    features = complete_rows(features, scaling["feature_name"].tolist())
    features = features.sort_values(ID_COLUMN, kind="stable").reset_index(drop=True)
    positions, distances = assign_by_likelihood(transform(features, scaling), centers, variances, weights)
    return pd.DataFrame(
        {
            ID_COLUMN: features[ID_COLUMN].to_numpy(),
            # ids need not be 1..k once they follow an earlier run (matching.py)
            "segment_id": ids[positions - 1],
            "segment_name": names[positions - 1],
            "distance_to_centroid": distances,
        }
    )


def _model_version(
    config: SegmentationConfig, scaling: pd.DataFrame, fitted: FittedClusters, segments: pd.DataFrame
) -> str:
    """A short hash of everything that defines the fitted model, ids and names included, to tell runs apart.

    Ward's sample size only counts for Ward: the other algorithms never read it.
    """
    settings = {k: getattr(config, k) for k in config.__dataclass_fields__}
    if config.algorithm != "agglomerative":
        del settings["ward_sample_size"]
    payload = {
        "segments": segments[["segment_id", "segment_name"]].to_dict("records"),
        "package": __version__,
        "config": settings,
        "scaling": scaling[["feature_name", "transform", "center", "scale"]].round(10).to_dict("records"),
        "centers": np.round(fitted.centers, 10).tolist(),
        "variances": np.round(fitted.variances, 10).tolist(),
        "weights": np.round(fitted.weights, 10).tolist(),
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
    return digest[:12]

"""Segment ids and names that survive retraining.

A retrain numbers its clusters afresh (clustering.stable_order), and a small change in the data
can swap two ids or rename a group. When the database holds a previous run, each new segment is
matched one to one with a previous segment by centroid distance (scipy's linear_sum_assignment,
the optimal assignment), measured in the new run's scaled units: the previous centroids, stored
in original units, go through the new scaling first. A matched segment keeps the previous id and
name; a segment whose best match is farther than `max_distance` (or that has no partner, when k
grew) is a new group and gets a new id above every previous one, with its generated name.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.metrics.pairwise import euclidean_distances

from customer_segmentation.naming import word_set
from customer_segmentation.scaling import transform


@dataclass(frozen=True)
class PreviousSegments:
    """The previous run's segments: ids, names and centroids in original units (segments × features)."""

    model_version: str
    features: tuple[str, ...]
    segment_ids: np.ndarray
    names: tuple[str, ...]
    centroids: np.ndarray

    @classmethod
    def from_centroid_rows(cls, rows: pd.DataFrame) -> PreviousSegments | None:
        """From segment_centroids rows of one model_version (segment_id, segment_name, feature_name,
        feature_position, original_value, model_version); None when there are none."""
        if rows.empty:
            return None
        ordered = rows.sort_values(["segment_id", "feature_position"])
        features = tuple(ordered.drop_duplicates("feature_position")["feature_name"])
        segments = ordered.drop_duplicates("segment_id")
        values = ordered["original_value"].to_numpy(dtype=float).reshape(len(segments), len(features))
        return cls(
            model_version=str(ordered["model_version"].iloc[0]),
            features=features,
            segment_ids=segments["segment_id"].to_numpy(dtype=np.int64),
            names=tuple(segments["segment_name"]),
            centroids=values,
        )


@dataclass(frozen=True)
class SegmentMatch:
    """Per new segment (in the fit's stable order): its id and name, and what it was matched to."""

    segment_ids: np.ndarray
    names: list[str]
    previous_segment_ids: list[int | None]
    match_distances: list[float | None]
    previous_model_version: str | None


def fresh_ids(generated_names: list[str]) -> SegmentMatch:
    """No previous run to follow: ids 1..k in the stable order, the generated names."""
    k = len(generated_names)
    return SegmentMatch(np.arange(1, k + 1), list(generated_names), [None] * k, [None] * k, None)


def match_segments(
    centers: np.ndarray,
    generated_names: list[str],
    scaling: pd.DataFrame,
    previous: PreviousSegments | None,
    max_distance: float,
) -> SegmentMatch:
    """Ids and names for the new centroids (`centers`, scaled, in stable order), following `previous`.

    A previous run on other features cannot be compared, so it starts ids afresh.
    """
    features = tuple(scaling.sort_values("feature_position")["feature_name"])
    if previous is None or previous.features != features:
        return fresh_ids(generated_names)
    previous_scaled = transform(pd.DataFrame(previous.centroids, columns=list(previous.features)), scaling)
    distances = euclidean_distances(centers, previous_scaled)
    rows, columns = linear_sum_assignment(distances)
    partner = {int(r): int(c) for r, c in zip(rows, columns, strict=True) if distances[r, c] <= max_distance}
    next_id = int(previous.segment_ids.max()) + 1
    ids, names, previous_ids, match_distances = [], [], [], []
    for position, generated in enumerate(generated_names):
        if position in partner:
            column = partner[position]
            ids.append(int(previous.segment_ids[column]))
            names.append(previous.names[column])
            previous_ids.append(int(previous.segment_ids[column]))
        else:
            ids.append(next_id)
            next_id += 1
            names.append(generated)
            previous_ids.append(None)
        nearest = distances[position, partner.get(position, int(np.argmin(distances[position])))]
        match_distances.append(float(nearest))
    # a new group whose name says what a kept one says (in any word order) is marked new
    kept = {word_set(names[i]) for i in range(len(names)) if previous_ids[i] is not None}
    names = [
        f"{name} (new)" if previous_ids[i] is None and word_set(name) in kept else name for i, name in enumerate(names)
    ]
    return SegmentMatch(np.array(ids, dtype=np.int64), names, previous_ids, match_distances, previous.model_version)

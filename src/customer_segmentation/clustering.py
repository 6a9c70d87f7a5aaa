"""The final K-Means fit, with segment ids that do not depend on row order or seed.

K-Means numbers its clusters arbitrarily: another seed or another row order can give the
same groups different numbers. Segments are therefore renumbered by their centroids,
compared feature by feature in `segment_features` order (lowest first). Segment 1 is the
segment with the lowest scaled centroid on the first feature, ties broken by the second,
and so on. The same groups always get the same ids.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import pairwise_distances_argmin_min


@dataclass(frozen=True)
class FittedClusters:
    """Centroids in stable order, and each row's 1-based segment id and distance to its centroid."""

    centers: np.ndarray
    segment_ids: np.ndarray
    distances: np.ndarray
    inertia: float


def stable_order(centers: np.ndarray) -> np.ndarray:
    """Cluster positions sorted lexicographically by centroid, first feature most significant."""
    return np.lexsort(centers.T[::-1])


def fit_kmeans(scaled: np.ndarray, k: int, *, random_seed: int, n_init: int) -> FittedClusters:
    """Fit on every row, then renumber the clusters by the stable centroid order."""
    model = KMeans(n_clusters=k, n_init=n_init, random_state=random_seed).fit(scaled)
    order = stable_order(model.cluster_centers_)
    new_id = np.empty(k, dtype=np.int64)
    new_id[order] = np.arange(1, k + 1)
    centers = model.cluster_centers_[order]
    segment_ids = new_id[model.labels_]
    distances = np.linalg.norm(scaled - centers[segment_ids - 1], axis=1)
    return FittedClusters(centers, segment_ids, distances, float(model.inertia_))


def assign_to_centroids(scaled: np.ndarray, centers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest-centroid segment ids (1-based) and distances, for applying a stored model."""
    positions, distances = pairwise_distances_argmin_min(scaled, centers)
    return positions.astype(np.int64) + 1, distances

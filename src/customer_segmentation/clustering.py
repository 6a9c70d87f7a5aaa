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

from customer_segmentation.sampling import seeded_sample


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


def fit_kmeans(
    scaled: np.ndarray, k: int, *, random_seed: int, n_init: int, sample_size: int | None = None
) -> FittedClusters:
    """Fit K-Means on every row, then renumber the clusters by the stable centroid order.

    With more than `sample_size` rows, the `n_init` restarts run on the same seeded sample as the
    k sweep, and one Lloyd run on every row refines the best restart's centres: restarts only
    pick a starting point, and on a large sample they pick the same one as on all rows, for a
    tenth of the cost. Up to `sample_size` rows, this is a plain fit on every row.
    """
    rows = seeded_sample(len(scaled), sample_size or len(scaled), random_seed)
    model = KMeans(n_clusters=k, n_init=n_init, random_state=random_seed).fit(scaled[rows])
    if len(rows) < len(scaled):
        model = KMeans(n_clusters=k, init=model.cluster_centers_, n_init=1, random_state=random_seed).fit(scaled)
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

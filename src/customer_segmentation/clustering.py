"""The final fit (K-Means, Ward or a Gaussian mixture), with segment ids that do not depend on row order or seed.

K-Means numbers its clusters arbitrarily: another seed or another row order can give the
same groups different numbers. Segments are therefore renumbered by their centroids,
compared feature by feature in `segment_features` order (lowest first). Segment 1 is the
segment with the lowest scaled centroid on the first feature, ties broken by the second,
and so on. The same groups always get the same ids.

Every algorithm ends as the same data, which the SQL scoring (macros/scoring/nearest_segment.sql)
applies to any customer: per segment a centre, a variance per feature and a weight. A customer's
segment is the argmin over segments of sum_f [(x_f - mu_f)^2 / var_f + ln var_f] - 2 ln weight,
the diagonal Gaussian mixture's most likely component; with every variance 1 and equal weights
(K-Means, Ward) it is the nearest centre.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.metrics import pairwise_distances_argmin_min
from sklearn.mixture import GaussianMixture

from customer_segmentation.sampling import seeded_sample


@dataclass(frozen=True)
class FittedClusters:
    """Centroids in stable order, and each row's 1-based segment id and distance to its centroid."""

    centers: np.ndarray
    segment_ids: np.ndarray
    distances: np.ndarray  # Euclidean, scaled units, to the centre of the row's own segment
    inertia: float  # sum of the squared distances
    variances: np.ndarray  # (k, features): 1 for K-Means and Ward, the mixture's diagonal otherwise
    weights: np.ndarray  # (k,): 1/k for K-Means and Ward, the mixture's weights otherwise
    sample_disagreements: int = 0  # Ward: sampled rows whose Ward cluster is not their nearest centre


def stable_order(centers: np.ndarray) -> np.ndarray:
    """Cluster positions sorted lexicographically by centroid, first feature most significant."""
    return np.lexsort(centers.T[::-1])


def stable_ids(centers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The stable order of the clusters (stable_order) and each cluster's 1-based segment id in it,
    indexed by the algorithm's own cluster label: `centers[order]` and `new_id[labels]`."""
    order = stable_order(centers)
    new_id = np.empty(len(order), dtype=np.int64)
    new_id[order] = np.arange(1, len(order) + 1)
    return order, new_id


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
    order, new_id = stable_ids(model.cluster_centers_)
    centers = model.cluster_centers_[order]
    segment_ids = new_id[model.labels_]
    distances = np.linalg.norm(scaled - centers[segment_ids - 1], axis=1)
    return FittedClusters(centers, segment_ids, distances, float(model.inertia_), *_spherical(centers))


def fit_ward(scaled: np.ndarray, k: int, *, random_seed: int, sample_size: int) -> FittedClusters:
    """Ward linkage on a seeded sample; its cluster means are the centres, and every row goes to the nearest.

    Ward keeps an O(n^2) distance matrix, so it only sees `sample_size` rows; the centres then
    assign every customer like K-Means' do, which is also how the SQL scoring applies them. A
    few sampled rows can sit nearer another cluster's mean than their own Ward cluster's: that
    count is kept (sample_disagreements).
    """
    rows = seeded_sample(len(scaled), sample_size, random_seed)
    labels = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(scaled[rows])
    means = np.vstack([scaled[rows][labels == cluster].mean(axis=0) for cluster in range(k)])
    order, ward_ids = stable_ids(means)
    centers = means[order]
    segment_ids, distances = assign_to_centroids(scaled, centers)
    disagreements = int((ward_ids[labels] != segment_ids[rows]).sum())
    inertia = float(np.square(distances).sum())
    return FittedClusters(centers, segment_ids, distances, inertia, *_spherical(centers), disagreements)


def fit_mixture(sample: np.ndarray, k: int, *, random_seed: int) -> GaussianMixture:
    """A Gaussian mixture with diagonal covariances: what segmentation_algorithm gmm fits, and scores by BIC."""
    return GaussianMixture(n_components=k, covariance_type="diag", random_state=random_seed).fit(sample)


def mixture_clusters(scaled: np.ndarray, mixture: GaussianMixture) -> FittedClusters:
    """A fitted mixture as segments: components in stable order, each row in its most likely component."""
    order, new_id = stable_ids(mixture.means_)
    centers = mixture.means_[order]
    segment_ids = new_id[mixture.predict(scaled)]
    distances = np.linalg.norm(scaled - centers[segment_ids - 1], axis=1)
    return FittedClusters(
        centers,
        segment_ids,
        distances,
        float(np.square(distances).sum()),
        mixture.covariances_[order],
        mixture.weights_[order],
    )


def _spherical(centers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Variance 1 and equal weights: the scoring rule then reduces to the nearest centre."""
    k = len(centers)
    return np.ones_like(centers), np.full(k, 1 / k)


def assign_to_centroids(scaled: np.ndarray, centers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest-centroid segment ids (1-based) and distances, for applying a stored model."""
    positions, distances = pairwise_distances_argmin_min(scaled, centers)
    return positions.astype(np.int64) + 1, distances


def assign_by_likelihood(
    scaled: np.ndarray, centers: np.ndarray, variances: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Segment ids (1-based) by the scoring rule of the module docstring, and the distance to that centre.

    The Python twin of the SQL scoring, for applying a stored model: with unit variances and
    equal weights it is the nearest centre.
    """
    squared = np.square(scaled[:, None, :] - centers[None, :, :])
    scores = (squared / variances[None, :, :] + np.log(variances)[None, :, :]).sum(axis=2) - 2 * np.log(weights)
    positions = scores.argmin(axis=1)
    return positions.astype(np.int64) + 1, np.sqrt(squared[np.arange(len(scaled)), positions].sum(axis=1))

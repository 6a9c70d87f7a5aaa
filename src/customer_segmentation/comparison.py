"""K-Means next to three other clustering algorithms, on the same scaled customers, scored alike.

A check on the segmentation, not a second one: the customers keep the segments of the
algorithm that assigned them (segmentation_algorithm), and this table says whether the others
see the same structure. Every algorithm and every score is scikit-learn's. The rules, also in
the README ("Other algorithms"):

- the features are scaled with the stored scaler of the model (never refitted);
- above `sample_size` customers everything runs on one seeded sample of that many (Ward keeps a
  condensed distance matrix and the silhouette compares every pair: both are O(n^2));
- the assigning algorithm's row is the segments the project gave the sampled customers;
- kmeans (when it does not assign): K-Means at the model's k, n_init 10, seeded;
- agglomerative (when it does not assign): Ward linkage at the model's k;
- gmm (when it does not assign): a GaussianMixture with diagonal covariances, its number of
  components chosen by the lowest BIC over the model's k range (k_min..k_max);
- dbscan: min_samples = 2 x the number of features (Sander et al. 1998), at least 8, and eps the
  knee of the sorted distances to the min_samples-th nearest neighbour (the point itself
  counted, as DBSCAN counts it): the point farthest from the chord of that curve. Its scores are
  computed on the points it clusters (noise left out); with fewer than two clusters they are null.

The adjusted Rand index against K-Means is computed on every sampled customer (DBSCAN's noise
counted as one group of its own), so 1 means the same partition and about 0 a random one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import DBSCAN, AgglomerativeClustering, KMeans
from sklearn.metrics import adjusted_rand_score, calinski_harabasz_score, davies_bouldin_score, silhouette_score
from sklearn.mixture import GaussianMixture
from sklearn.neighbors import NearestNeighbors

from customer_segmentation.clustering import fit_mixture
from customer_segmentation.config import ALGORITHMS as ASSIGNING_ALGORITHMS
from customer_segmentation.sampling import seeded_sample
from customer_segmentation.selection import farthest_from_chord

ALGORITHMS = ("kmeans", "agglomerative", "gmm", "dbscan")
NOISE = -1  # DBSCAN's label for a point in no cluster


@dataclass(frozen=True)
class ComparisonSettings:
    """What the comparison depends on besides the data: the model's k and k range, the seed and the sizes."""

    assigning: str  # segmentation_algorithm: whose segments the customers have
    k: int
    k_min: int
    k_max: int
    random_seed: int
    sample_size: int
    silhouette_sample_size: int


# Below this the k-distance curve is too noisy for its knee: on three clean 2-D blobs, min_samples
# 4 put eps inside the blobs' fringes and split them into 7 clusters; 8 found the 3.
MIN_DBSCAN_SAMPLES = 8


def dbscan_min_samples(n_features: int) -> int:
    """DBSCAN's min_samples: twice the dimension (Sander et al. 1998's rule of thumb), at least 8."""
    return max(MIN_DBSCAN_SAMPLES, 2 * n_features)


def dbscan_eps(scaled: np.ndarray, min_samples: int) -> float:
    """The knee of the sorted k-distance curve, k = min_samples (the point itself is its first neighbour)."""
    neighbours = min(min_samples, len(scaled))
    distances, _ = NearestNeighbors(n_neighbors=neighbours).fit(scaled).kneighbors(scaled)
    curve = np.sort(distances[:, -1])
    knee = farthest_from_chord(np.arange(len(curve)), curve)
    # A flat curve has no knee: every point is as far from its neighbours, so that distance is eps.
    eps = float(curve[knee] if knee is not None else curve[-1])
    # DBSCAN needs eps > 0; duplicated points can make every k-distance 0.
    return eps if eps > 0 else float(np.finfo(float).eps)


def gmm_components_by_bic(scaled: np.ndarray, ks: Sequence[int], random_seed: int) -> tuple[int, GaussianMixture]:
    """The diagonal-covariance mixture with the lowest BIC over `ks`; ties go to the smaller k."""
    best: tuple[float, int, GaussianMixture] | None = None
    for k in ks:
        mixture = fit_mixture(scaled, k, random_seed=random_seed)
        bic = float(mixture.bic(scaled))
        if best is None or bic < best[0]:
            best = (bic, k, mixture)
    if best is None:
        raise ValueError("gmm: no k to try (the k range is empty)")
    return best[1], best[2]


def compare_algorithms(scaled: np.ndarray, assigned: np.ndarray, settings: ComparisonSettings) -> pd.DataFrame:
    """One row per algorithm (ALGORITHMS order) with its clusters, scores and agreement with K-Means.

    `scaled` holds the segmented customers in the model's scaled space, sorted by customer id, and
    `assigned` their segments (from settings.assigning), in the same order.
    """
    if settings.assigning not in ASSIGNING_ALGORITHMS:
        raise ValueError(f"assigning: expected one of {list(ASSIGNING_ALGORITHMS)}, got {settings.assigning!r}")
    if len(scaled) != len(assigned):
        raise ValueError(f"{len(scaled)} customers but {len(assigned)} segment labels")
    rows = seeded_sample(len(scaled), settings.sample_size, settings.random_seed)
    sample, segments = scaled[rows], np.asarray(assigned)[rows]
    ks = [k for k in range(settings.k_min, settings.k_max + 1) if k < len(sample)]
    given = f"k={settings.k} (the customers' segments)"
    min_samples = dbscan_min_samples(sample.shape[1])
    eps = dbscan_eps(sample, min_samples)

    dbscan = DBSCAN(eps=eps, min_samples=min_samples).fit_predict(sample)
    found = {"dbscan": (dbscan, f"eps={eps:.4g} (knee of the {min_samples}-distance curve), min_samples={min_samples}")}
    if settings.assigning == "kmeans":
        found["kmeans"] = (segments, given)
    else:
        kmeans = KMeans(n_clusters=settings.k, n_init=10, random_state=settings.random_seed).fit_predict(sample)
        found["kmeans"] = (kmeans, f"k={settings.k}, n_init=10")
    if settings.assigning == "agglomerative":
        found["agglomerative"] = (segments, f"{given}, Ward centres, nearest centre")
    else:
        ward = AgglomerativeClustering(n_clusters=settings.k, linkage="ward").fit_predict(sample)
        found["agglomerative"] = (ward, f"k={settings.k}, linkage=ward")
    if settings.assigning == "gmm":
        found["gmm"] = (segments, f"{given}, covariance_type=diag")
    else:
        gmm_k, mixture = gmm_components_by_bic(sample, ks, settings.random_seed)
        found["gmm"] = (
            mixture.predict(sample),
            f"k={gmm_k} (lowest BIC over k={ks[0]}..{ks[-1]}), covariance_type=diag",
        )
    kmeans = found["kmeans"][0]
    records = [
        {
            "algorithm": name,
            **_scores(sample, labels, settings),
            "adjusted_rand_vs_kmeans": float(adjusted_rand_score(kmeans, labels)),
            "sample_size": len(sample),
            "parameters": parameters,
            "is_assigning": name == settings.assigning,
        }
        for name in ALGORITHMS
        for labels, parameters in [found[name]]
    ]
    return pd.DataFrame.from_records(records)


def _scores(sample: np.ndarray, labels: np.ndarray, settings: ComparisonSettings) -> dict[str, object]:
    """Clusters found, noise share and the three scores, on the clustered points only (noise left out)."""
    clustered = labels != NOISE
    points, kept = sample[clustered], labels[clustered]
    n_clusters = len(np.unique(kept))
    row: dict[str, object] = {"n_clusters": n_clusters, "noise_share": float(1 - clustered.mean())}
    if not 2 <= n_clusters < len(points):
        note = f"{n_clusters} cluster(s) on {len(points):,} clustered customers: the scores need at least 2"
        return {**row, "silhouette": None, "davies_bouldin": None, "calinski_harabasz": None, "note": note}
    silhouette_rows = min(settings.silhouette_sample_size, len(points))
    silhouette = silhouette_score(
        points,
        kept,
        sample_size=silhouette_rows if silhouette_rows < len(points) else None,
        random_state=settings.random_seed,
    )
    note = f"scores on the {len(points):,} clustered customers; noise left out" if not clustered.all() else None
    return {
        **row,
        "silhouette": float(silhouette),
        "davies_bouldin": float(davies_bouldin_score(points, kept)),
        "calinski_harabasz": float(calinski_harabasz_score(points, kept)),
        "note": note,
    }

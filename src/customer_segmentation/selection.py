"""Choosing k: a sweep of K-Means fits scored by inertia and silhouette, and the rule that combines them.

The rule, also stated in the README and recorded in `segment_model_selection`:

1. If `n_clusters` is set, use it ("fixed_n_clusters").
2. The elbow is the k whose point on the inertia curve lies farthest from the straight
   line joining the first and last points, after both axes are scaled to [0, 1]
   (the maximum-curvature idea of Kneedle, Satopaa et al. 2011).
3. If the elbow and the best silhouette agree, use that k ("elbow_and_silhouette_agree").
4. Otherwise use the k with the best silhouette among the elbow and its two neighbours
   ("best_silhouette_near_elbow"): the elbow says roughly where extra clusters stop
   paying, the silhouette picks the best-separated partition there.
5. With fewer than three candidate ks there is no elbow; the best silhouette wins
   ("best_silhouette").

With segmentation_algorithm gmm, the sweep fits a Gaussian mixture per k instead, and the k
with the lowest BIC wins ("lowest_bic"); the elbow and the best silhouette are still reported.

Silhouette is O(n^2), so it is always computed on a seeded sample of at most
`silhouette_sample_size` rows; above `fit_sample_threshold` rows the whole sweep runs
on a seeded sample of that many rows. The final fit refines on every row (clustering.fit_kmeans).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score

from customer_segmentation.sampling import seeded_sample


@dataclass(frozen=True)
class KChoice:
    """The chosen k and why."""

    k: int
    rule: str
    elbow_k: int | None
    best_silhouette_k: int | None
    explanation: str


def score_fit(
    sample: np.ndarray, k: int, labels: np.ndarray, inertia: float, *, random_seed: int, silhouette_sample_size: int
) -> dict[str, float | int | None]:
    """One row of the sweep table: a fit's inertia and its silhouette, Davies-Bouldin and Calinski-Harabasz."""
    silhouette_rows = min(silhouette_sample_size, len(sample))
    # Every score needs at least two non-empty clusters and fewer clusters than points.
    scorable = 2 <= len(np.unique(labels)) < len(sample)
    silhouette = (
        silhouette_score(
            sample,
            labels,
            sample_size=silhouette_rows if silhouette_rows < len(sample) else None,
            random_state=random_seed,
        )
        if scorable
        else None
    )
    return {
        "k": k,
        "inertia": float(inertia),
        "silhouette": None if silhouette is None else float(silhouette),
        "davies_bouldin": float(davies_bouldin_score(sample, labels)) if scorable else None,
        "calinski_harabasz": float(calinski_harabasz_score(sample, labels)) if scorable else None,
        "sample_size": len(sample),
        "silhouette_sample_size": silhouette_rows,
    }


def sweep_k(
    scaled: np.ndarray,
    ks: list[int],
    *,
    random_seed: int,
    n_init: int,
    silhouette_sample_size: int,
    fit_sample_threshold: int,
) -> pd.DataFrame:
    """Fit K-Means for every k on the seeded sample and score each fit; one row per k."""
    sample = scaled[seeded_sample(len(scaled), fit_sample_threshold, random_seed)]
    records = []
    for k in ks:
        model = KMeans(n_clusters=k, n_init=n_init, random_state=random_seed).fit(sample)
        records.append(
            score_fit(
                sample,
                k,
                model.labels_,
                model.inertia_,
                random_seed=random_seed,
                silhouette_sample_size=silhouette_sample_size,
            )
        )
    return pd.DataFrame.from_records(records)


def farthest_from_chord(x: np.ndarray, y: np.ndarray) -> int | None:
    """Position of the point farthest from the line through the first and last points, both axes scaled to [0, 1].

    The knee of a curve (Kneedle's maximum-curvature idea): used for the elbow of the inertia
    curve and for DBSCAN's eps on the sorted k-distance curve (comparison.py). None when the
    curve has under three points or is flat in either axis.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(x) < 3 or x.max() == x.min() or y.max() == y.min():
        return None
    x = (x - x.min()) / (x.max() - x.min())
    y = (y - y.min()) / (y.max() - y.min())
    dx, dy = x[-1] - x[0], y[-1] - y[0]
    distance = np.abs(dy * x - dx * y + x[-1] * y[0] - y[-1] * x[0]) / np.hypot(dx, dy)
    return int(np.argmax(distance))


def elbow_k(ks: list[int], inertias: list[float]) -> int | None:
    """The k farthest from the chord of the normalised inertia curve; None with under three points."""
    position = farthest_from_chord(np.asarray(ks), np.asarray(inertias))
    return None if position is None else int(ks[position])


def choose_by_bic(sweep: pd.DataFrame) -> KChoice:
    """The Gaussian mixture's rule: the k with the lowest BIC (ties to the smaller k)."""
    ks = [int(k) for k in sweep["k"]]
    scored = sweep.dropna(subset=["silhouette"])
    best_sil = int(scored.loc[scored["silhouette"].idxmax(), "k"]) if len(scored) else None
    chosen = int(sweep.loc[sweep["bic"].idxmin(), "k"])
    return KChoice(
        chosen,
        "lowest_bic",
        elbow_k(ks, list(sweep["inertia"])),
        best_sil,
        f"k = {chosen} has the lowest BIC of the diagonal Gaussian mixtures fitted for k = {ks[0]}..{ks[-1]}.",
    )


def choose_k(sweep: pd.DataFrame, n_clusters: int = 0) -> KChoice:
    """Apply the documented rule to a sweep (see the module docstring)."""
    ks = [int(k) for k in sweep["k"]]
    elbow = elbow_k(ks, list(sweep["inertia"]))
    scored = sweep.dropna(subset=["silhouette"])
    best_sil = int(scored.loc[scored["silhouette"].idxmax(), "k"]) if len(scored) else None

    if n_clusters:
        return KChoice(
            n_clusters, "fixed_n_clusters", elbow, best_sil, f"k = {n_clusters} was set with the n_clusters var."
        )
    if best_sil is None:
        raise ValueError(
            "no k in the sweep produced two or more distinct clusters; the features do not vary enough to segment"
        )
    if elbow is None:
        return KChoice(
            best_sil,
            "best_silhouette",
            elbow,
            best_sil,
            f"k = {best_sil} has the best silhouette; the k range is too short for an elbow.",
        )
    if elbow == best_sil:
        return KChoice(
            elbow,
            "elbow_and_silhouette_agree",
            elbow,
            best_sil,
            f"k = {elbow} is both the elbow of inertia and the best silhouette.",
        )
    near = scored[(scored["k"] - elbow).abs() <= 1]
    if near.empty:
        return KChoice(
            best_sil,
            "best_silhouette",
            elbow,
            best_sil,
            f"k = {best_sil} has the best silhouette; no k near the elbow ({elbow}) could be scored.",
        )
    chosen = int(near.loc[near["silhouette"].idxmax(), "k"])
    return KChoice(
        chosen,
        "best_silhouette_near_elbow",
        elbow,
        best_sil,
        f"k = {chosen} has the best silhouette within one of the elbow (k = {elbow}); "
        f"the best silhouette overall is at k = {best_sil}.",
    )

"""Choosing k: the sweep, the elbow and the documented rule that combines elbow and silhouette."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs

from customer_segmentation.sampling import seeded_sample
from customer_segmentation.selection import choose_k, elbow_k, sweep_k

CENTERS = [[-10.0, -10.0], [-10.0, 10.0], [10.0, -10.0], [10.0, 10.0]]
# A curve that falls steeply up to k = 5 and is nearly flat after it.
KNEE_KS = [2, 3, 4, 5, 6, 7, 8, 9]
KNEE_INERTIA = [1000.0, 700.0, 400.0, 100.0, 90.0, 80.0, 70.0, 60.0]


def _blobs(n_samples: int = 200) -> np.ndarray:
    """Four well-separated round clusters."""
    points, _ = make_blobs(n_samples=n_samples, centers=CENTERS, cluster_std=1.0, random_state=11)
    return points


def _sweep_frame(silhouette: list[float | None]) -> pd.DataFrame:
    """A hand-made sweep on the knee curve with the given silhouettes."""
    return pd.DataFrame({"k": KNEE_KS, "inertia": KNEE_INERTIA, "silhouette": silhouette})


def test_sweep_and_choose_k_find_the_four_blobs() -> None:
    """On data with four clear clusters, the rule picks k = 4."""
    sweep = sweep_k(
        _blobs(),
        list(range(2, 9)),
        random_seed=42,
        n_init=2,
        silhouette_sample_size=10_000,
        fit_sample_threshold=100_000,
    )
    assert list(sweep["k"]) == list(range(2, 9))
    assert sweep["inertia"].is_monotonic_decreasing
    choice = choose_k(sweep)
    assert choice.k == 4
    assert choice.elbow_k == 4
    assert choice.best_silhouette_k == 4
    assert choice.rule == "elbow_and_silhouette_agree"


def test_elbow_k_finds_the_knee() -> None:
    """The point farthest from the chord of the normalised curve is the knee."""
    assert elbow_k(KNEE_KS, KNEE_INERTIA) == 5


def test_elbow_k_does_not_depend_on_inertia_units() -> None:
    """Both axes are normalised, so rescaling inertia keeps the elbow."""
    assert elbow_k(KNEE_KS, [v * 1e6 for v in KNEE_INERTIA]) == 5


@pytest.mark.parametrize(("ks", "inertias"), [([], []), ([4], [10.0]), ([2, 3], [100.0, 50.0])])
def test_elbow_k_needs_three_points(ks: list[int], inertias: list[float]) -> None:
    """With fewer than three ks there is no elbow."""
    assert elbow_k(ks, inertias) is None


def test_elbow_k_is_none_on_a_flat_curve() -> None:
    """A flat inertia curve has no knee (and must not divide by zero)."""
    assert elbow_k([2, 3, 4, 5], [7.0, 7.0, 7.0, 7.0]) is None


def test_choose_k_fixed_n_clusters_wins() -> None:
    """n_clusters overrides the rule but the elbow and best silhouette are still reported."""
    choice = choose_k(_sweep_frame([0.9, 0.5, 0.5, 0.6, 0.5, 0.4, 0.3, 0.2]), n_clusters=7)
    assert choice.k == 7
    assert choice.rule == "fixed_n_clusters"
    assert choice.elbow_k == 5
    assert choice.best_silhouette_k == 2


def test_choose_k_best_silhouette_near_elbow() -> None:
    """When elbow (5) and best silhouette (2) differ, the best silhouette among k = 4..6 wins."""
    choice = choose_k(_sweep_frame([0.80, 0.40, 0.55, 0.50, 0.62, 0.70, 0.30, 0.20]))
    assert choice.elbow_k == 5
    assert choice.best_silhouette_k == 2
    assert choice.k == 6
    assert choice.rule == "best_silhouette_near_elbow"
    assert "k = 6" in choice.explanation


def test_choose_k_elbow_and_silhouette_agree() -> None:
    """When the elbow also has the best silhouette, it is chosen with the agreeing rule."""
    choice = choose_k(_sweep_frame([0.3, 0.4, 0.5, 0.9, 0.6, 0.5, 0.4, 0.3]))
    assert (choice.k, choice.rule) == (5, "elbow_and_silhouette_agree")


def test_choose_k_short_range_uses_best_silhouette() -> None:
    """With two candidate ks there is no elbow, so the best silhouette decides."""
    sweep = pd.DataFrame({"k": [2, 3], "inertia": [50.0, 20.0], "silhouette": [0.4, 0.6]})
    choice = choose_k(sweep)
    assert (choice.k, choice.rule, choice.elbow_k) == (3, "best_silhouette", None)


def test_choose_k_skips_unscored_ks() -> None:
    """A k without a silhouette (one distinct cluster) is never the best-silhouette k."""
    choice = choose_k(_sweep_frame([None, 0.4, 0.55, None, 0.50, 0.3, 0.3, 0.2]))
    assert choice.best_silhouette_k == 4
    assert choice.k == 4


def test_choose_k_without_any_silhouette_raises() -> None:
    """If no k could be scored, the features do not vary enough and choosing fails loudly."""
    sweep = pd.DataFrame({"k": [2, 3, 4], "inertia": [0.0, 0.0, 0.0], "silhouette": [None, None, None]})
    with pytest.raises(ValueError, match="distinct clusters"):
        choose_k(sweep)


def test_sweep_on_large_input_uses_the_seeded_sample() -> None:
    """Above fit_sample_threshold rows the sweep runs on exactly that many rows, silhouette on at most its cap."""
    sweep = sweep_k(
        _blobs(300), [2, 3, 4], random_seed=3, n_init=1, silhouette_sample_size=50, fit_sample_threshold=120
    )
    assert (sweep["sample_size"] == 120).all()
    assert (sweep["silhouette_sample_size"] <= 50).all()
    assert sweep["silhouette"].notna().all()


def test_sweep_on_small_input_uses_every_row() -> None:
    """Below the thresholds every row is used for both the fit and the silhouette."""
    sweep = sweep_k(
        _blobs(80), [2, 3], random_seed=3, n_init=1, silhouette_sample_size=10_000, fit_sample_threshold=100_000
    )
    assert (sweep["sample_size"] == 80).all()
    assert (sweep["silhouette_sample_size"] == 80).all()


def test_seeded_sample_is_reproducible_sorted_and_unique() -> None:
    """The same seed gives the same sorted, duplicate-free rows; size >= n gives every row."""
    first = seeded_sample(1000, 100, seed=5)
    assert np.array_equal(first, seeded_sample(1000, 100, seed=5))
    assert len(np.unique(first)) == 100
    assert np.all(np.diff(first) > 0)
    assert not np.array_equal(first, seeded_sample(1000, 100, seed=6))
    assert np.array_equal(seeded_sample(10, 50, seed=5), np.arange(10))

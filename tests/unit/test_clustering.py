"""The final fit: segment ids 1..k in the documented centroid order, whatever the seed."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from customer_segmentation.clustering import assign_to_centroids, fit_kmeans, stable_order

CENTERS = [[4.0, 0.0, 1.0], [-3.0, 5.0, 0.0], [-3.0, -5.0, 2.0], [0.0, 0.0, -4.0]]


def _blobs() -> np.ndarray:
    """Four well-separated clusters, two of them sharing the first coordinate."""
    points, _ = make_blobs(n_samples=160, centers=CENTERS, cluster_std=0.4, random_state=2)
    return points


def test_stable_order_is_lexicographic_first_feature_most_significant() -> None:
    """Sort by the first feature; ties go to the second, then the third."""
    centers = np.array(
        [
            [1.0, 0.0, 9.0],
            [-2.0, 3.0, 0.0],
            [-2.0, -1.0, 5.0],
            [1.0, 0.0, -9.0],
        ]
    )
    assert stable_order(centers).tolist() == [2, 1, 3, 0]


def test_stable_order_does_not_sort_by_later_features_first() -> None:
    """A large later feature must not outrank a smaller first feature."""
    centers = np.array([[0.5, -100.0], [0.1, 100.0]])
    assert stable_order(centers).tolist() == [1, 0]


@pytest.mark.parametrize("seed", [1, 7, 42])
def test_fit_kmeans_ids_follow_the_centroid_order(seed: int) -> None:
    """Ids are 1..k, centres come out sorted, and every seed gives the same ids to the same rows."""
    points = _blobs()
    fitted = fit_kmeans(points, 4, random_seed=seed, n_init=1)
    assert sorted(np.unique(fitted.segment_ids).tolist()) == [1, 2, 3, 4]
    rows = [tuple(c) for c in fitted.centers]
    assert rows == sorted(rows)
    # Expected ids straight from the known generating centres, in lexicographic order.
    truth = np.array(sorted(CENTERS))
    expected = np.argmin(((points[:, None, :] - truth[None, :, :]) ** 2).sum(axis=2), axis=1) + 1
    np.testing.assert_array_equal(fitted.segment_ids, expected)


def test_fit_kmeans_distances_and_inertia_match_the_centres() -> None:
    """Each distance is to the row's own centroid, and their squares add up to the inertia."""
    points = _blobs()
    fitted = fit_kmeans(points, 4, random_seed=0, n_init=1)
    own = np.linalg.norm(points - fitted.centers[fitted.segment_ids - 1], axis=1)
    np.testing.assert_allclose(fitted.distances, own)
    np.testing.assert_allclose((fitted.distances**2).sum(), fitted.inertia, rtol=1e-6)


def test_assign_to_centroids_reproduces_the_fit() -> None:
    """Nearest-centroid assignment on the fitted centres gives the fit's own ids and distances."""
    points = _blobs()
    fitted = fit_kmeans(points, 4, random_seed=0, n_init=1)
    ids, distances = assign_to_centroids(points, fitted.centers)
    np.testing.assert_array_equal(ids, fitted.segment_ids)
    np.testing.assert_allclose(distances, fitted.distances, rtol=1e-9, atol=1e-12)


def test_assign_to_centroids_is_one_based() -> None:
    """A point on the first centre gets segment 1, on the last gets segment k."""
    centers = np.array([[0.0, 0.0], [10.0, 0.0], [20.0, 0.0]])
    ids, distances = assign_to_centroids(np.array([[0.1, 0.0], [19.0, 0.0]]), centers)
    assert ids.tolist() == [1, 3]
    np.testing.assert_allclose(distances, [0.1, 1.0])


def test_sampled_restarts_then_full_refinement_match_a_full_fit() -> None:
    """Above sample_size rows, restarts on a sample plus one refinement give the full fit's partition."""
    points, _ = make_blobs(n_samples=20_000, centers=CENTERS, cluster_std=1.5, random_state=5)
    full = fit_kmeans(points, 4, random_seed=42, n_init=10)
    sampled = fit_kmeans(points, 4, random_seed=42, n_init=10, sample_size=1_000)
    assert adjusted_rand_score(full.segment_ids, sampled.segment_ids) >= 0.99
    # The refinement ran on every row: its inertia is the full data's, not the sample's.
    assert sampled.inertia == pytest.approx(float(np.square(sampled.distances).sum()), rel=1e-6)
    assert sampled.inertia == pytest.approx(full.inertia, rel=1e-3)


def test_sample_size_at_or_above_the_row_count_is_a_plain_full_fit() -> None:
    """Small inputs (the demo, Mall) get exactly the fit they always had."""
    points = _blobs()
    plain = fit_kmeans(points, 4, random_seed=3, n_init=4)
    capped = fit_kmeans(points, 4, random_seed=3, n_init=4, sample_size=len(points))
    np.testing.assert_array_equal(plain.segment_ids, capped.segment_ids)
    np.testing.assert_array_equal(plain.centers, capped.centers)

"""Segment ids and names across retraining (customer_segmentation.matching)."""

import numpy as np
import pandas as pd

from customer_segmentation.matching import PreviousSegments, match_segments

FEATURES = ("age", "annual_income")
# Identity scaling: scaled units equal original units, so distances are easy to state.
SCALING = pd.DataFrame(
    {
        "feature_name": list(FEATURES),
        "feature_position": [1, 2],
        "transform": ["none", "none"],
        "center": [0.0, 0.0],
        "scale": [1.0, 1.0],
    }
)


def _previous(ids: list[int], names: list[str], centroids: list[list[float]]) -> PreviousSegments:
    return PreviousSegments("abc123abc123", FEATURES, np.array(ids), tuple(names), np.array(centroids, dtype=float))


def test_a_retrain_that_reorders_the_centroids_keeps_each_groups_id_and_name():
    previous = _previous([1, 2, 3], ["Young", "Rich", "Older"], [[0, 0], [5, 5], [10, 0]])
    # The new fit's stable order puts the groups differently, and they moved a little.
    centers = np.array([[5.1, 5.0], [0.0, 0.2], [9.9, 0.1]])
    match = match_segments(centers, ["Rich?", "Young?", "Older?"], SCALING, previous, max_distance=1.0)
    assert match.segment_ids.tolist() == [2, 1, 3]
    assert match.names == ["Rich", "Young", "Older"]
    assert match.previous_segment_ids == [2, 1, 3]
    assert match.match_distances[1] == 0.2


def test_a_group_farther_than_the_threshold_is_new_with_a_new_id_and_its_generated_name():
    previous = _previous([1, 2], ["Young", "Rich"], [[0, 0], [5, 5]])
    centers = np.array([[0.1, 0.0], [8.0, 9.0]])
    match = match_segments(centers, ["Young again", "Very rich"], SCALING, previous, max_distance=1.0)
    assert match.segment_ids.tolist() == [1, 3]
    assert match.names == ["Young", "Very rich"]
    assert match.previous_segment_ids == [1, None]
    assert match.match_distances[1] == 5.0  # to the nearest earlier centroid, (5, 5)


def test_when_k_grows_the_extra_group_is_new_and_the_best_one_to_one_assignment_wins():
    previous = _previous([1, 2], ["Young", "Rich"], [[0, 0], [5, 5]])
    # Two new centroids near (5, 5): the closer one continues "Rich".
    centers = np.array([[0.0, 0.0], [5.0, 5.5], [5.0, 5.1]])
    match = match_segments(centers, ["a", "b", "c"], SCALING, previous, max_distance=1.0)
    assert match.segment_ids.tolist() == [1, 3, 2]
    assert match.names == ["Young", "b", "Rich"]


def test_a_new_group_whose_generated_name_is_already_kept_is_marked_new():
    previous = _previous([1], ["Young"], [[0, 0]])
    centers = np.array([[0.0, 0.0], [9.0, 9.0]])
    match = match_segments(centers, ["Young", "Young"], SCALING, previous, max_distance=1.0)
    assert match.names == ["Young", "Young (new)"]


def test_a_new_group_whose_name_says_the_same_in_another_word_order_is_marked_new():
    previous = _previous([1], ["Young · low income"], [[0, 0]])
    centers = np.array([[0.0, 0.0], [9.0, 9.0]])
    match = match_segments(centers, ["Young · low income", "Low income · young"], SCALING, previous, max_distance=1.0)
    assert match.names == ["Young · low income", "Low income · young (new)"]


def test_a_previous_run_on_other_features_or_none_gives_fresh_ids():
    centers = np.array([[0.0, 0.0], [5.0, 5.0]])
    other = PreviousSegments("abc123abc123", ("age", "recency_days"), np.array([7, 8]), ("x", "y"), centers)
    for previous in (None, other):
        match = match_segments(centers, ["a", "b"], SCALING, previous, max_distance=1.0)
        assert match.segment_ids.tolist() == [1, 2]
        assert match.names == ["a", "b"]
        assert match.previous_model_version is None


def test_previous_centroids_are_compared_after_the_new_runs_scaling():
    previous = _previous([1, 2], ["Young", "Rich"], [[0, 0], [50, 50]])
    scaling = SCALING.assign(scale=[10.0, 10.0])  # 50 original units = 5 scaled units
    match = match_segments(np.array([[5.0, 5.0], [0.0, 0.0]]), ["a", "b"], scaling, previous, max_distance=0.5)
    assert match.segment_ids.tolist() == [2, 1]


def test_previous_segments_read_from_centroid_rows():
    rows = pd.DataFrame(
        {
            "segment_id": [4, 4, 2, 2],
            "segment_name": ["Rich", "Rich", "Young", "Young"],
            "feature_name": ["age", "annual_income", "age", "annual_income"],
            "feature_position": [1, 2, 1, 2],
            "original_value": [50.0, 90.0, 20.0, 30.0],
            "model_version": "abc123abc123",
        }
    )
    previous = PreviousSegments.from_centroid_rows(rows)
    assert previous is not None
    assert previous.features == FEATURES
    assert previous.segment_ids.tolist() == [2, 4]
    assert previous.names == ("Young", "Rich")
    assert previous.centroids.tolist() == [[20.0, 30.0], [50.0, 90.0]]
    assert PreviousSegments.from_centroid_rows(rows.iloc[0:0]) is None

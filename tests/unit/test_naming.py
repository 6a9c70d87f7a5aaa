"""Segment names: readable, driven by the strongest z-scores, distinct word sets within a run."""

from __future__ import annotations

import numpy as np
import pytest

from customer_segmentation.naming import IndistinguishableSegmentsError, feature_word, name_segments, word_set

FEATURES = ["age", "annual_income", "spending_score", "recency_days"]


def test_high_income_high_spend_recent_profile() -> None:
    """Strong income, spend and (low) recency give those three words, strongest first."""
    z_scores = np.array([[0.1, 2.0, 1.6, -1.2]])
    [name] = name_segments(z_scores, FEATURES)
    lowered = name.lower()
    assert "high income" in lowered
    assert "high spend" in lowered
    assert "recent" in lowered
    assert "lapsed" not in lowered
    assert "older" not in lowered
    assert name == "High income · high spend · recent"


def test_centroid_near_the_mean_is_average_profile() -> None:
    """No feature at or beyond half a standard deviation: "Average profile"."""
    assert name_segments(np.array([[0.2, -0.4, 0.49, -0.1]]), FEATURES) == ["Average profile"]


def test_only_the_strongest_three_terms_are_used() -> None:
    """A fourth distinctive feature is left out of the name when names do not clash."""
    [name] = name_segments(np.array([[-0.9, 2.0, 1.5, 1.2]]), FEATURES)
    assert name == "High income · high spend · lapsed"


def test_same_top_words_are_told_apart_by_the_feature_that_separates_them() -> None:
    """Two segments whose distinctive words coincide get the comparative of the feature on which
    they differ most, one each way, and no number."""
    z_scores = np.array(
        [
            [2.0, 1.8, 1.6, 0.9],
            [2.0, 1.8, 1.6, -0.9],
        ]
    )
    names = name_segments(z_scores, FEATURES)
    assert names == [
        "Older · high income · high spend · bought longer ago",
        "Older · high income · high spend · bought more recently",
    ]


def test_names_that_differ_only_in_word_order_are_told_apart() -> None:
    """The same words in another order are the same name: both get a comparative."""
    z_scores = np.array(
        [
            [1.0, 0.9, 0.0, 0.0],
            [0.9, 1.0, 0.0, 0.1],
        ]
    )
    names = name_segments(z_scores, FEATURES)
    assert word_set(names[0]) != word_set(names[1])
    # they differ most on recency (0.1 apart; age and income are 0.1 apart too, recency is
    # first among equals only by position, so accept whichever comparative was chosen)
    assert names[0].startswith("Older · high income · ")
    assert names[1].startswith("High income · older · ")


def test_order_only_clash_uses_the_widest_difference() -> None:
    """The comparative comes from the feature with the largest gap between the two segments."""
    z_scores = np.array(
        [
            [1.0, 0.9, 0.0, 0.0],
            [0.9, 1.0, 0.4, 0.0],
        ]
    )
    assert name_segments(z_scores, FEATURES) == [
        "Older · high income · lower spending score",
        "High income · older · higher spending score",
    ]


def test_three_way_clash_is_split_until_every_set_differs() -> None:
    """Three segments with the same words: the widest feature splits one from the other two,
    the next feature splits those two."""
    z_scores = np.array(
        [
            [0.0, 1.5, -1.0, 0.0],
            [0.0, 1.5, -1.0, 0.2],
            [1.0, -1.0, 0.0, 0.0],
            [0.3, 1.5, -1.0, 0.0],
        ]
    )
    names = name_segments(z_scores, FEATURES)
    assert names[2] == "Older · low income"
    assert names[3] == "High income · low spend · older"
    assert names[0] == "High income · low spend · younger · bought more recently"
    assert names[1] == "High income · low spend · younger · bought longer ago"


def test_average_profiles_are_compared_too() -> None:
    """Several segments near the mean are told apart by how they differ from each other."""
    names = name_segments(np.array([[0.1, 0.0], [-0.1, 0.0], [0.0, 0.3]]), ["age", "frequency"])
    assert len({word_set(n) for n in names}) == 3
    assert all(name.startswith("Average profile") for name in names)


def test_identical_centroids_are_an_error_not_a_number() -> None:
    """Segments with exactly the same centroid cannot be described apart: a clear error."""
    with pytest.raises(IndistinguishableSegmentsError, match="positions \\[1, 2\\]"):
        name_segments(np.array([[0.0, 1.5], [0.0, 1.5]]), ["age", "annual_income"])


@pytest.mark.parametrize("seed", range(40))
def test_random_centroids_get_distinct_word_sets_without_digits(seed: int) -> None:
    """Property: for random centroids (few features, many coarse clashes), every name has its own
    set of words and no digit."""
    rng = np.random.default_rng(seed)
    n_features = int(rng.integers(1, 5))
    features = list(rng.choice([*FEATURES, "frequency", "tenure_days", "support_tickets"], n_features, replace=False))
    z_scores = np.round(rng.normal(size=(int(rng.integers(2, 13)), n_features)), 1)
    if len(np.unique(z_scores, axis=0)) < len(z_scores):
        z_scores += rng.normal(scale=1e-3, size=z_scores.shape)
    names = name_segments(z_scores, features)
    assert len({word_set(name) for name in names}) == len(names)
    assert not any(character.isdigit() for name in names for character in name)


def test_unknown_feature_gets_high_or_low_feature_words() -> None:
    """A feature without its own words is described as "high/low <feature words>"."""
    assert feature_word("customer_lifetime_value", 1.2) == "high customer lifetime value"
    assert feature_word("customer_lifetime_value", -1.2) == "low customer lifetime value"
    [name] = name_segments(np.array([[1.5, 0.0]]), ["support_tickets", "age"])
    assert name.lower() == "high support tickets"


def test_known_feature_words() -> None:
    """Known features use their own words in both directions."""
    assert feature_word("recency_days", -1.0) == "recent"
    assert feature_word("recency_days", 1.0) == "lapsed"
    assert feature_word("age", -0.7) == "young"

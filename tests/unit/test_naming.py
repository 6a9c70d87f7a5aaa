"""Segment names: readable, driven by the strongest z-scores, and unique within a run."""

from __future__ import annotations

import numpy as np

from customer_segmentation.naming import feature_word, name_segments

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


def test_identical_profiles_still_get_unique_names() -> None:
    """Two (or three) segments with the same centroid profile get different names."""
    z_scores = np.array(
        [
            [0.0, 1.5, -1.0, 0.0],
            [0.0, 1.5, -1.0, 0.0],
            [1.0, -1.0, 0.0, 0.0],
            [0.0, 1.5, -1.0, 0.0],
        ]
    )
    names = name_segments(z_scores, FEATURES)
    assert len(set(names)) == len(names)
    for i in (0, 1, 3):
        assert names[i].lower().startswith("high income · low spend")
    assert names[2] == "Older · low income"


def test_identical_average_profiles_get_unique_names() -> None:
    """Even indistinguishable average segments are told apart."""
    names = name_segments(np.zeros((3, 2)), ["age", "frequency"])
    assert len(set(names)) == 3
    assert all(name.startswith("Average profile") for name in names)


def test_clashing_names_are_lengthened_before_numbering() -> None:
    """Names that share their top three words get a fourth word when that separates them."""
    z_scores = np.array(
        [
            [2.0, 1.8, 1.6, 0.9],
            [2.0, 1.8, 1.6, -0.9],
        ]
    )
    names = name_segments(z_scores, FEATURES)
    assert names == ["Older · high income · high spend · lapsed", "Older · high income · high spend · recent"]


def test_names_are_unique_for_many_random_profiles() -> None:
    """Uniqueness holds for a larger run where many short names collide."""
    rng = np.random.default_rng(0)
    z_scores = np.round(rng.normal(size=(12, 2)))
    names = name_segments(z_scores, ["age", "annual_income"])
    assert len(set(names)) == 12


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

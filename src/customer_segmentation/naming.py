"""Human-readable segment names, read off each centroid's profile in original units.

A segment is described by the features on which its centroid sits furthest from the
overall mean, measured in overall standard deviations (z-scores). Features within
half a standard deviation of the mean are not distinctive and are left out. The
strongest three words make the name, e.g. "High income · high spend · recent".

Two segments never get the same set of words: when their words coincide (in any order),
each gets the registry's comparative for the feature that separates them most from each
other ("higher income" for one, "lower income" for the other), and again for any that still
coincide. A name therefore always says how a segment differs, never carries a number.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from customer_segmentation import registry

DISTINCTIVE_Z = 0.5
NAME_TERMS = 3
SEPARATOR = " · "
AVERAGE_PROFILE = "Average profile"


class IndistinguishableSegmentsError(ValueError):
    """Segments with identical centroids: no word can tell them apart."""


def _registry_words(feature: str, below_field: str, above_field: str, fallback: tuple[str, str]) -> tuple[str, str]:
    known = registry.by_name().get(feature)
    if known is None:
        words = feature.replace("_", " ")
        return f"{fallback[0]} {words}", f"{fallback[1]} {words}"
    return getattr(known, below_field), getattr(known, above_field)


def feature_word(feature: str, z_score: float) -> str:
    """The word for being above or below the mean on one feature: the registry's name_below and
    name_above, or "low/high <feature>" for a column the registry does not know."""
    below, above = _registry_words(feature, "name_below", "name_above", ("low", "high"))
    return above if z_score > 0 else below


def comparative_word(feature: str, higher: bool) -> str:
    """The word for being higher or lower than another segment on one feature: the registry's
    summary_below and summary_above ("lower income", "older"), or "lower/higher <feature>"."""
    below, above = _registry_words(feature, "summary_below", "summary_above", ("lower", "higher"))
    return above if higher else below


def _distinctive_words(z_row: np.ndarray, features: list[str]) -> list[str]:
    ranked = np.argsort(-np.abs(z_row), kind="stable")
    return [feature_word(features[i], z_row[i]) for i in ranked if abs(z_row[i]) >= DISTINCTIVE_Z][:NAME_TERMS]


def _clashing_groups(words: list[list[str]]) -> list[list[int]]:
    by_set: dict[frozenset[str], list[int]] = defaultdict(list)
    for i, segment_words in enumerate(words):
        by_set[frozenset(segment_words)].append(i)
    return [group for group in by_set.values() if len(group) > 1]


def _split(group: list[int], z_scores: np.ndarray, features: list[str], words: list[list[str]]) -> None:
    """Give each segment of a clashing group the comparative for the feature that separates
    the group most (widest spread of z-scores), the first one that actually splits it; above the
    group's mean is "higher", the rest "lower". When every comparative is used up (few features,
    many segments), a comparative the group shares is graded: "much older" above the group's
    mean, "slightly older" below."""
    members = z_scores[group]
    spread = members.max(axis=0) - members.min(axis=0)
    order = [f for f in np.argsort(-spread, kind="stable") if spread[f] > 0]
    for f in order:
        higher = members[:, f] > members[:, f].mean()
        added = [comparative_word(features[f], bool(h)) for h in higher]
        if len({frozenset([*words[i], word]) for i, word in zip(group, added, strict=True)}) > 1:
            for i, word in zip(group, added, strict=True):
                if word not in words[i]:
                    words[i].append(word)
            return
    for f in order:
        shared = [w for w in (comparative_word(features[f], h) for h in (True, False)) if w in words[group[0]]]
        if shared:
            higher = members[:, f] > members[:, f].mean()
            for i, h in zip(group, higher, strict=True):
                words[i][words[i].index(shared[0])] = f"{'much' if h else 'slightly'} {shared[0]}"
            return
    raise IndistinguishableSegmentsError(
        f"segments at positions {[i + 1 for i in group]} cannot be told apart in words: their centroids "
        "are identical, or too few features separate this many segments"
    )


def word_set(name: str) -> frozenset[str]:
    """The words a name says, in any order and case: two names that differ only in word order say
    the same thing."""
    return frozenset(word.strip().lower() for word in name.split(SEPARATOR.strip()))


def _text(segment_words: list[str]) -> str:
    text = SEPARATOR.join(segment_words) if segment_words else AVERAGE_PROFILE
    return text[0].upper() + text[1:]


def name_segments(z_scores: np.ndarray, features: list[str]) -> list[str]:
    """One name per row of `z_scores` (segments x features); no two share the same set of words."""
    words = [_distinctive_words(z, features) for z in z_scores]
    # An average profile has no words of its own; it is compared under its own label.
    words = [w or [AVERAGE_PROFILE] for w in words]
    # Every pass adds at least one word that a segment did not have, from a finite vocabulary
    # (two comparatives per feature), so this bound is never the one that stops it.
    for _ in range(len(z_scores) * (2 * len(features) + 1) + 1):
        groups = _clashing_groups(words)
        if not groups:
            return [_text(w) for w in words]
        for group in groups:
            _split(group, z_scores, features, words)
    raise IndistinguishableSegmentsError("segment names still coincide after every feature was compared")

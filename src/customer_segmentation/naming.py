"""Human-readable segment names, read off each centroid's profile in original units.

A segment is described by the features on which its centroid sits furthest from the
overall mean, measured in overall standard deviations (z-scores). Features within
half a standard deviation of the mean are not distinctive and are left out. The
strongest three words make the name, e.g. "High income · high spend · recent".
If two segments would share a name, both get more words, and as a last resort the
segment id, so names are unique within a run.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from customer_segmentation import registry

DISTINCTIVE_Z = 0.5
NAME_TERMS = 3


def feature_word(feature: str, z_score: float) -> str:
    """The word for being above or below the mean on one feature: the registry's name_below and
    name_above, or "low/high <feature>" for a column the registry does not know."""
    known = registry.by_name().get(feature)
    if known is None:
        words = f"low {feature.replace('_', ' ')}", f"high {feature.replace('_', ' ')}"
    else:
        words = known.name_below, known.name_above
    return words[1] if z_score > 0 else words[0]


def _describe(z_row: np.ndarray, features: list[str], n_terms: int, threshold: float) -> str:
    ranked = np.argsort(-np.abs(z_row), kind="stable")
    words = [feature_word(features[i], z_row[i]) for i in ranked if abs(z_row[i]) >= threshold][:n_terms]
    if not words:
        return "Average profile"
    text = " · ".join(words)
    return text[0].upper() + text[1:]


def name_segments(z_scores: np.ndarray, features: list[str]) -> list[str]:
    """One unique name per row of `z_scores` (segments x features)."""
    n_segments = len(z_scores)
    terms = [NAME_TERMS] * n_segments
    names = [_describe(z, features, NAME_TERMS, DISTINCTIVE_Z) for z in z_scores]
    # Lengthen colliding names until they differ or run out of distinctive features.
    for _ in range(len(features)):
        counts = Counter(names)
        clashing = [i for i in range(n_segments) if counts[names[i]] > 1]
        if not clashing:
            return names
        for i in clashing:
            terms[i] += 1
            names[i] = _describe(z_scores[i], features, terms[i], DISTINCTIVE_Z)
    counts = Counter(names)
    return [f"{name} ({i + 1})" if counts[name] > 1 else name for i, name in enumerate(names)]

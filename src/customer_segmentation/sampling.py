"""The seeded row sample that every step above a size threshold works on.

One definition, so the k sweep, the final fit's restarts and the 2-D projection all see the
same rows for the same seed, whatever their order of calls.
"""

from __future__ import annotations

import numpy as np


def seeded_sample(n_rows: int, size: int, seed: int) -> np.ndarray:
    """Sorted row positions of a seeded sample; all rows when size >= n_rows."""
    if size >= n_rows:
        return np.arange(n_rows)
    return np.sort(np.random.default_rng(seed).choice(n_rows, size=size, replace=False))

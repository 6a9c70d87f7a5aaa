"""What the order-level and the line-level demo generators share: the time frame, the
product categories, the samplers, and the decimal-comma rewrite of a written file.

Kept apart so that `demo_lines` can use them without importing the generator script.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

import numpy as np
import pandas as pd

# The last day any order can be placed. Fixed so that the data never depends on "today".
DATA_END = datetime(2025, 6, 30, 23, 59, 59)
ORDER_HISTORY_DAYS = 730

PRODUCT_CATEGORIES = ["electronics", "fashion", "home", "beauty", "grocery", "sports", "books", "toys"]

CANONICAL_TIMESTAMP = "%Y-%m-%d %H:%M:%S"

# --decimal-comma: what a European spreadsheet export looks like.
DECIMAL_COMMA_SEPARATOR = ";"
EUROPEAN_DATETIME = "%d.%m.%Y %H:%M"
EUROPEAN_DATE = "%d.%m.%Y"


def choice_index_by_row(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """Draw one column index per row, each row with its own probability vector."""
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    draws = rng.random(len(weights))[:, None]
    return np.minimum((draws > cumulative).sum(axis=1), weights.shape[1] - 1)


def sample_rows(rng: np.random.Generator, n_rows: int, share: float) -> np.ndarray:
    """round(n_rows * share) distinct row positions, sorted."""
    count = round(n_rows * share)
    return np.sort(rng.choice(n_rows, size=min(count, n_rows), replace=False))


def to_decimal_comma(
    frame: pd.DataFrame,
    decimal_columns: Iterable[str],
    timestamp_formats: Mapping[str, str],
    date_formats: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Rewrite rendered text columns the European way: `12,50`, `01.12.2010 08:26`, `01.12.2010`.

    timestamp_formats / date_formats give each date column's format as rendered, so the value
    is parsed back exactly; blanks stay blank and deliberately bad numbers keep their digits.
    """
    out = frame.copy()
    for column in decimal_columns:
        out[column] = out[column].str.replace(".", ",", regex=False)
    for formats, european in ((timestamp_formats, EUROPEAN_DATETIME), (date_formats or {}, EUROPEAN_DATE)):
        for column, written in formats.items():
            parsed = pd.to_datetime(out[column], format=written)
            out[column] = parsed.dt.strftime(european).astype(object).where(parsed.notna(), None)
    return out

"""The RFM score macro (macros/rfm/rfm_score.sql) equals pandas qcut on the ranks of the distinct values.

The macro is rendered with Jinja (it needs no dbt context) and run in DuckDB, so the test checks
the SQL the marts run, not a copy of its formula.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import jinja2
import numpy as np
import pandas as pd
import pytest

MACRO = Path(__file__).resolve().parents[2] / "macros" / "rfm" / "rfm_score.sql"
CONNECTION = duckdb.connect()  # in memory; one for the module's 500 cases


def macro_scores(n_values: int) -> list[int]:
    """The macro's score for each rank 1..n_values, computed by DuckDB."""
    template = jinja2.Environment(autoescape=False).from_string(MACRO.read_text())
    expression = template.module.rfm_score("value_rank", "n_values")
    sql = (
        f"select {expression} as score "
        "from (select range as value_rank, $n_values as n_values from range(1, $n_values + 1)) "
        "order by value_rank"
    )
    return [row[0] for row in CONNECTION.execute(sql, {"n_values": n_values}).fetchall()]


def qcut_scores(n_values: int) -> list[int]:
    """pandas' quintile of each rank 1..n_values, as a score 1-5."""
    ranks = np.arange(1, n_values + 1)
    return (pd.qcut(ranks, 5, labels=False) + 1).tolist()


@pytest.mark.parametrize("n_values", range(2, 501))
def test_macro_equals_pandas_qcut(n_values: int) -> None:
    """For every number of distinct values from 2 to 500 the scores agree rank by rank."""
    assert macro_scores(n_values) == qcut_scores(n_values)


def test_scores_use_the_whole_range() -> None:
    """The worst value scores 1 and the best 5, even with two distinct values."""
    assert macro_scores(2) == [1, 5]
    assert macro_scores(3) == [1, 3, 5]


def test_one_distinct_value_gets_the_middle_score() -> None:
    """With one distinct value nothing separates the customers: all score 3 (qcut cannot cut it)."""
    assert macro_scores(1) == [3]

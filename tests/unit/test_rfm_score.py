"""The RFM score macro (macros/rfm/rfm_score.sql) equals pandas qcut on the customers' ranks, with
tied values sharing the score of their first customer.

The macros are rendered with Jinja (they need no dbt context) and run in DuckDB: the per-value
relation (rfm_measure_values) and the score (rfm_score), the SQL the mart runs, not a copy of it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import jinja2
import numpy as np
import pandas as pd
import pytest

MACRO = Path(__file__).resolve().parents[2] / "macros" / "rfm" / "rfm_score.sql"
CONNECTION = duckdb.connect()  # in memory; one for the module's cases
MACROS = jinja2.Environment(autoescape=False).from_string(MACRO.read_text()).module
EXPRESSION = MACROS.rfm_score("measure_values")
MEASURE_VALUES = MACROS.rfm_measure_values("customers", "value", "asc")


def macro_scores(values: pd.Series) -> pd.Series:
    """The macro's score of each value (larger is better), computed by DuckDB as the mart does."""
    CONNECTION.register("customers", pd.DataFrame({"value": values}))
    per_value = CONNECTION.sql(
        f"""
        with measure_values as ({MEASURE_VALUES})
        select value, {EXPRESSION} as score from measure_values
        """
    ).df()
    return values.map(dict(zip(per_value["value"], per_value["score"], strict=True))).astype(int)


def pandas_scores(values: pd.Series) -> pd.Series:
    """Quintiles of the customers by rank (pandas qcut), each value taking its first customer's."""
    if values.nunique() == 1:
        return pd.Series(3, index=values.index)
    quintile = pd.qcut(values.rank(method="first"), 5, labels=False) + 1
    return quintile.groupby(values).transform("min").astype(int)


@pytest.mark.parametrize("n_customers", range(2, 501))
def test_distinct_values_score_as_pandas_qcut(n_customers: int) -> None:
    """Without ties the score is pandas' quintile of the customer's rank, for every n from 2 to 500."""
    values = pd.Series(np.arange(n_customers, dtype=float))
    assert macro_scores(values).tolist() == (pd.qcut(values.rank(), 5, labels=False) + 1).tolist()


@pytest.mark.parametrize("seed", range(40))
def test_tied_values_score_alike_and_as_pandas(seed: int) -> None:
    """With ties (integer order counts, most customers on one order) equal values score alike."""
    rng = np.random.default_rng(seed)
    values = pd.Series(rng.geometric(0.5, size=int(rng.integers(2, 400))).astype(float))
    scores = macro_scores(values)
    assert scores.tolist() == pandas_scores(values).tolist()
    assert scores.groupby(values).nunique().eq(1).all()


def test_the_worst_value_scores_1_and_the_best_5() -> None:
    assert macro_scores(pd.Series([1.0, 2.0])).tolist() == [1, 5]
    assert macro_scores(pd.Series([1.0, 2.0, 3.0])).tolist() == [1, 3, 5]


def test_a_value_shared_by_most_customers_scores_as_its_first_customer() -> None:
    """Six one-order customers out of ten all score 1; the next value starts in the fourth quintile."""
    values = pd.Series([1.0] * 6 + [2.0] * 2 + [5.0, 9.0])
    assert macro_scores(values).tolist() == [1] * 6 + [4, 4, 5, 5]


def test_one_distinct_value_gets_the_middle_score() -> None:
    """With one distinct value nothing separates the customers: all score 3 (qcut cannot cut it)."""
    assert macro_scores(pd.Series([7.0, 7.0, 7.0])).tolist() == [3, 3, 3]

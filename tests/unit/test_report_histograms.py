"""The EDA page's histograms (reports/src/eda.json.sql): a feature whose every value is a whole
number gets whole-number bins, so a score from 1 to 100 does not zig-zag between bins that hold
3 and 4 possible values; other features keep 30 equal-width bins."""

from __future__ import annotations

import importlib.util
import math

import duckdb
import pytest

from customer_segmentation import registry
from tests.conftest import REPO_ROOT

SQL_PATH = REPO_ROOT / "reports" / "src" / "eda.json.sql"


def _run_sql_module():
    """reports/lib/run_sql.py, the loader that splits a .sql file into its named queries."""
    spec = importlib.util.spec_from_file_location("run_sql", REPO_ROOT / "reports" / "lib" / "run_sql.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _histograms(values: dict[str, list[float | None]]) -> dict[str, list[dict]]:
    """The histogram rows per feature for a customer_segments table holding `values`."""
    run_sql = _run_sql_module()
    query = run_sql.split_queries(SQL_PATH.read_text(encoding="utf-8"))["histograms"]
    n = len(next(iter(values.values())))
    with duckdb.connect() as connection:
        columns = ", ".join(f"{name} double" for name in values)
        connection.execute(f"create table customer_segments (customer_id integer, {columns})")
        rows = [(i, *(values[name][i] for name in values)) for i in range(n)]
        connection.executemany(f"insert into customer_segments values ({', '.join('?' * (len(values) + 1))})", rows)
        # the page histograms the registry's features, which it reads from feature_definitions
        names = registry.feature_names()
        connection.execute(
            "create table feature_definitions as"
            " select unnest(?) as feature_name, generate_subscripts(?, 1) as feature_position",
            [list(names), list(names)],
        )
        result = run_sql.run(connection, query, {}, "histograms")
    by_feature: dict[str, list[dict]] = {}
    for row in result:
        by_feature.setdefault(row["feature"], []).append(row)
    return by_feature


def test_whole_number_feature_gets_whole_number_bins() -> None:
    scores = [float(1 + i % 100) for i in range(1000)]  # every score 1..100, ten times each
    bins = _histograms({"spending_score": scores, "discount_share": [i / 999 for i in range(1000)]})
    score_bins = bins["spending_score"]
    widths = {row["bin_end"] - row["bin_start"] for row in score_bins}
    assert widths == {4.0}, "1..100 in whole-number bins of width ceil(100 / 30)"
    for row in score_bins:
        assert row["whole_numbers"] is True
        assert row["bin_start"] == math.floor(row["bin_start"]) and row["bin_end"] == math.floor(row["bin_end"])
        assert row["last_value"] == row["bin_end"] - 1
    # Each bin holds four possible scores, each ten times: a flat histogram, no zig-zag.
    assert [row["n"] for row in score_bins] == [40] * 25
    assert sum(row["n"] for row in score_bins) == len(scores)

    shares = bins["discount_share"]
    assert len(shares) == 30 and all(row["whole_numbers"] is False for row in shares)
    assert sum(row["n"] for row in shares) == 1000
    assert shares[-1]["bin_end"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("values", "expected_width"),
    [
        ([3.0, 3.0, 3.0], 1.0),  # one value: one bin of width 1
        ([0.0, 1.0, 2.0, 7.0], 1.0),  # fewer than 30 values possible: width 1, never below
        ([10.0, 75.0, 200.0, 10.0], 7.0),  # 191 possible values: ceil(191 / 30)
    ],
)
def test_whole_number_bins_have_width_at_least_one(values: list[float], expected_width: float) -> None:
    rows = _histograms({"frequency": values})["frequency"]
    assert {row["bin_end"] - row["bin_start"] for row in rows} == {expected_width}
    assert sum(row["n"] for row in rows) == len(values)
    for row in rows:
        assert row["bin_start"] <= row["first_value"] <= row["last_value"] < row["bin_end"]


def test_nulls_are_left_out() -> None:
    rows = _histograms({"age": [20.0, None, 40.0, 60.0]})["age"]
    assert sum(row["n"] for row in rows) == 3

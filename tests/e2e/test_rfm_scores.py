"""End to end: the RFM scores, named RFM segments and their summaries on the demo build, checked
against an independent pandas computation for every customer; and a customers-only input (no
orders), which must build with every RFM mart empty and every customer unscored."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from tests.conftest import REPO_ROOT, BuildRun, run_build

pytestmark = pytest.mark.e2e

SEGMENT_MAP = REPO_ROOT / "seeds" / "rfm_segments.csv"
# measure -> whether a larger value is better (recency: fewer days since the last purchase is better)
MEASURES = {"recency_days": False, "frequency": True, "monetary_total": True}
SCORE_OF = {"recency_days": "r_score", "frequency": "f_score", "monetary_total": "m_score"}


def _query(database: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(sql).df()


def _assert_ok(run: BuildRun) -> None:
    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]


def expected_scores(values: pd.Series, larger_is_better: bool) -> pd.Series:
    """pandas' quintile of each customer's rank (worst first), as 1-5, with equal values taking
    the score of their first customer; one distinct value gives everyone 3."""
    if values.nunique() == 1:
        return pd.Series(3, index=values.index)
    ordered = values if larger_is_better else -values
    quintile = pd.qcut(ordered.rank(method="first"), 5, labels=False) + 1
    return quintile.groupby(ordered).transform("min").astype(int)


def segment_name(map_rows: pd.DataFrame, r: int, f: int, m: int) -> str:
    """The one seed row whose ranges hold the cell."""
    hit = map_rows[
        map_rows.r_min.le(r)
        & map_rows.r_max.ge(r)
        & map_rows.f_min.le(f)
        & map_rows.f_max.ge(f)
        & map_rows.m_min.le(m)
        & map_rows.m_max.ge(m)
    ]
    assert len(hit) == 1, (r, f, m, list(hit.rfm_segment))
    return hit.rfm_segment.iloc[0]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    run = run_build(tmp_path_factory.mktemp("rfm_demo"))
    _assert_ok(run)
    return run.database


@pytest.fixture(scope="module")
def pandas_scores(demo: Path) -> pd.DataFrame:
    """Every customer of customer_rfm with the scores and segment pandas gives it (null if unscored)."""
    rfm = _query(demo, "select customer_id, recency_days, frequency, monetary_total, has_purchases from customer_rfm")
    rfm["monetary_total"] = rfm["monetary_total"].astype(float)
    scored = rfm[rfm.has_purchases].copy()
    for measure, larger_is_better in MEASURES.items():
        scored[SCORE_OF[measure]] = expected_scores(scored[measure], larger_is_better)
    map_rows = pd.read_csv(SEGMENT_MAP)
    scored["rfm_cell"] = scored.r_score.astype(str) + scored.f_score.astype(str) + scored.m_score.astype(str)
    scored["rfm_segment"] = [
        segment_name(map_rows, r, f, m) for r, f, m in zip(scored.r_score, scored.f_score, scored.m_score, strict=True)
    ]
    columns = ["customer_id", "r_score", "f_score", "m_score", "rfm_cell", "rfm_segment"]
    return rfm[["customer_id"]].merge(scored[columns], on="customer_id", how="left")


def test_every_customer_scored_as_pandas_scores_them(demo: Path, pandas_scores: pd.DataFrame) -> None:
    """Scores, cell and segment equal the pandas computation for every customer, unscored ones included."""
    built = _query(
        demo, "select customer_id, r_score, f_score, m_score, rfm_cell, rfm_segment from customer_rfm_scores"
    )
    assert len(built) == len(pandas_scores) > 1000
    merged = pandas_scores.merge(built, on="customer_id", suffixes=("_pandas", "_dbt"), validate="one_to_one")
    assert len(merged) == len(built)
    for column in ["r_score", "f_score", "m_score", "rfm_cell", "rfm_segment"]:
        expected = merged[f"{column}_pandas"].astype(object).where(merged[f"{column}_pandas"].notna(), None)
        actual = merged[f"{column}_dbt"].astype(object).where(merged[f"{column}_dbt"].notna(), None)
        mismatched = merged.loc[[e != a for e, a in zip(expected, actual, strict=True)], "customer_id"]
        assert mismatched.empty, f"{column}: {len(mismatched)} customers differ, e.g. {list(mismatched[:5])}"
    # the demo spreads every score over 1-5
    assert {c: sorted(built[c].dropna().unique()) for c in ["r_score", "f_score", "m_score"]} == {
        c: [1, 2, 3, 4, 5] for c in ["r_score", "f_score", "m_score"]
    }


def test_thresholds_state_the_cut_points(demo: Path) -> None:
    """Per measure and score: min and max value, customers and distinct values, as the scores imply."""
    scores = _query(demo, "select * from customer_rfm_scores where r_score is not null")
    expected = pd.concat(
        [
            scores.groupby(SCORE_OF[measure])[measure]
            .agg(min_value="min", max_value="max", n_customers="count", n_distinct_values="nunique")
            .rename_axis("score")
            .reset_index()
            .assign(measure=measure)
            for measure in MEASURES
        ]
    )
    built = _query(demo, "select * from rfm_score_thresholds")
    merged = expected.merge(built, on=["measure", "score"], suffixes=("", "_dbt"), validate="one_to_one")
    assert len(merged) == len(built) == len(expected) == 15
    for column in ["min_value", "max_value", "n_customers", "n_distinct_values"]:
        assert (merged[column].astype(float) == merged[f"{column}_dbt"].astype(float)).all(), column
    # the score ranges do not overlap: recency's best score holds its smallest values
    recency = built[built.measure == "recency_days"].sort_values("score")
    assert (recency.max_value.astype(float).to_numpy()[1:] < recency.min_value.astype(float).to_numpy()[:-1]).all()


def test_crosstab_counts_and_shares(demo: Path) -> None:
    """Each K-Means x RFM pair counts the scored customers in both; shares add up per segment."""
    joined = _query(
        demo,
        """select segments.segment_id, scores.rfm_segment
        from customer_segments as segments
        inner join customer_rfm_scores as scores using (customer_id)
        where scores.rfm_segment is not null""",
    )
    expected = joined.value_counts().rename("n_customers").reset_index()
    built = _query(demo, "select * from segment_rfm_crosstab")
    merged = expected.merge(built, on=["segment_id", "rfm_segment"], validate="one_to_one")
    assert len(merged) == len(built) == len(expected)
    assert (merged.n_customers_x == merged.n_customers_y).all()
    by_segment = merged.n_customers_x / merged.groupby("segment_id").n_customers_x.transform("sum")
    assert np.allclose(merged.share_of_segment, by_segment)
    assert np.allclose(built.groupby("segment_id").share_of_segment.sum(), 1)
    assert np.allclose(built.groupby("rfm_segment").share_of_rfm_segment.sum(), 1)


def test_profiles_and_grid_add_up(demo: Path) -> None:
    """Every seed segment is profiled; the profiles and the 25 grid cells hold every scored customer."""
    scored = _query(
        demo, "select count(*) as n, sum(monetary_total) as revenue from customer_rfm_scores where r_score is not null"
    )
    profiles = _query(demo, "select * from rfm_segment_profiles")
    assert set(profiles.rfm_segment) == set(pd.read_csv(SEGMENT_MAP).rfm_segment)
    assert profiles.n_customers.sum() == scored.n.iloc[0]
    assert float(profiles.revenue.astype(float).sum()) == pytest.approx(float(scored.revenue.iloc[0]))
    grid = _query(demo, "select * from rfm_grid_cells")
    assert sorted(zip(grid.r_score, grid.f_score, strict=True)) == [(r, f) for r in range(1, 6) for f in range(1, 6)]
    assert grid.n_customers.sum() == scored.n.iloc[0]


def test_no_orders_builds_with_no_rfm(tmp_path: Path) -> None:
    """A customers-only input: the build passes, every customer unscored, the RFM marts empty."""
    run = run_build(tmp_path, customers=str(REPO_ROOT / "seeds" / "raw_customers.csv"))
    _assert_ok(run)
    scores = _query(
        run.database,
        "select count(*) as n, count(r_score) as scored, count(rfm_segment) as named from customer_rfm_scores",
    )
    customers = _query(run.database, "select count(*) as n from customers")
    assert (scores.n.iloc[0], scores.scored.iloc[0], scores.named.iloc[0]) == (customers.n.iloc[0], 0, 0)
    for mart in ["rfm_score_thresholds", "segment_rfm_crosstab", "rfm_segment_profiles", "rfm_grid_cells"]:
        assert _query(run.database, f"select count(*) as n from {mart}").n.iloc[0] == 0, mart

"""A model's life across builds: runs kept, ids and names that survive retraining, migrations.

Built on the Mall file (shared/data, skipped when absent): removing customers 5, 50 and 150
and rebuilding from scratch renames a quarter of the customers' segments; rebuilding the same
database instead must keep every id and name (README "Segment ids across retraining").
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.conftest import REPO_ROOT, SHARED_MALL_CSV, BuildRun, run_build

pytestmark = pytest.mark.e2e

REMOVED = ["5", "50", "150"]


def _query(database: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(sql).df()


def _ok(run: BuildRun) -> BuildRun:
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    return run


def _segments(database: Path) -> pd.DataFrame:
    return _query(database, "select customer_id, segment_id, segment_name from customer_segments").set_index(
        "customer_id"
    )


@pytest.fixture(scope="module")
def mall_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    if not SHARED_MALL_CSV.exists():
        pytest.skip(f"{SHARED_MALL_CSV} is not available")
    workdir = tmp_path_factory.mktemp("mall_history")
    fewer = workdir / "mall_197.csv"
    mall = pd.read_csv(SHARED_MALL_CSV, dtype=str)
    mall[~mall["CustomerID"].isin(REMOVED)].to_csv(fewer, index=False)
    database = workdir / "kept.duckdb"
    _ok(run_build(workdir / "first", customers=str(SHARED_MALL_CSV), database=database))
    first = _segments(database)
    _ok(run_build(workdir / "second", customers=str(fewer), database=database))
    fresh = _ok(run_build(workdir / "fresh", customers=str(fewer))).database
    return {"database": database, "first": first, "fresh": fresh}


def test_a_fresh_fit_without_the_three_customers_renames_segments(mall_runs: dict) -> None:
    """The problem the matching solves: on its own, the refit names a group differently."""
    first, fresh = mall_runs["first"], _segments(mall_runs["fresh"])
    changed = (fresh["segment_name"] != first.loc[fresh.index, "segment_name"]).sum()
    assert changed > 0.1 * len(fresh)


def test_rebuilding_without_three_customers_keeps_every_id_and_name(mall_runs: dict) -> None:
    first, second = mall_runs["first"], _segments(mall_runs["database"])
    assert len(second) == 197
    assert second.equals(first.drop(REMOVED).loc[second.index])
    matches = _query(mall_runs["database"], "select * from segment_matches")
    assert not matches["is_new_segment"].any()
    assert (matches["match_distance"] <= matches["match_max_distance"]).all()
    # the refit's own name for one group differs: the kept name is the previous run's
    assert (matches["generated_name"] != matches["segment_name"]).any()


def test_both_runs_are_kept_and_the_migrations_show_who_stayed_and_who_left(mall_runs: dict) -> None:
    database = mall_runs["database"]
    runs = _query(database, "select model_version, customers_fitted from segment_model_runs order by trained_at")
    assert runs["customers_fitted"].tolist() == [200, 197]
    history = _query(database, "select run_id, count(*) as n from segment_assignment_history group by run_id")
    assert sorted(history["n"]) == [197, 200]
    stored = _query(database, "select distinct model_version from segment_centroids")
    assert set(stored["model_version"]) == set(runs["model_version"])
    migrations = _query(database, "select * from segment_migrations")
    stayed = migrations.loc[migrations["from_segment_id"] == migrations["to_segment_id"], "customers"].sum()
    assert stayed == 197
    assert migrations.loc[migrations["is_gone_customer"], "customers"].sum() == 3
    assert not migrations["is_new_customer"].any()
    assert migrations["share_of_customers"].sum() == pytest.approx(1.0)


def test_history_max_runs_keeps_only_the_latest_runs_and_their_models(mall_runs: dict, tmp_path: Path) -> None:
    database = tmp_path / "capped.duckdb"
    database.write_bytes(Path(mall_runs["database"]).read_bytes())
    _ok(
        run_build(
            tmp_path / "third", customers=str(SHARED_MALL_CSV), database=database, vars_yaml="{history_max_runs: 1}"
        )
    )
    runs = _query(database, "select run_id, model_version from segment_model_runs")
    assert len(runs) == 1
    assert set(_query(database, "select distinct run_id from segment_assignment_history")["run_id"]) == set(
        runs["run_id"]
    )
    assert set(_query(database, "select distinct model_version from segment_centroids")["model_version"]) == set(
        runs["model_version"]
    )
    assert _query(database, "select count(*) as n from segment_migrations")["n"].iloc[0] == 0


def test_the_demo_then_its_next_month_keeps_the_segments_and_most_customers_stay(tmp_path: Path) -> None:
    """README "Runs, history and ids across retraining": two monthly builds into one database."""
    next_month = tmp_path / "next_month"
    generator = [sys.executable, str(REPO_ROOT / "scripts" / "generate_demo_data.py"), "--next-month"]
    subprocess.run([*generator, "--out", str(next_month)], check=True, capture_output=True)
    database = tmp_path / "monthly.duckdb"
    _ok(run_build(tmp_path / "june", database=database))
    june = _segments(database)
    _ok(
        run_build(
            tmp_path / "july",
            database=database,
            customers=str(next_month / "raw_customers.csv"),
            orders=str(next_month / "raw_orders.csv"),
        )
    )
    runs = _query(database, "select model_version, previous_model_version from segment_model_runs order by built_at")
    assert len(runs) == 2 and runs["previous_model_version"].iloc[1] == runs["model_version"].iloc[0]
    matches = _query(database, "select * from segment_matches")
    assert not matches["is_new_segment"].any()
    july = _segments(database)
    # every segment kept its id and name
    assert set(zip(july["segment_id"], july["segment_name"], strict=True)) == set(
        zip(june["segment_id"], june["segment_name"], strict=True)
    )
    migrations = _query(database, "select * from segment_migrations")
    stayed = migrations.loc[migrations["from_segment_id"] == migrations["to_segment_id"], "customers"].sum()
    assert stayed >= 0.95 * len(june)
    assert migrations.loc[migrations["is_new_customer"], "customers"].sum() == len(july) - len(june)

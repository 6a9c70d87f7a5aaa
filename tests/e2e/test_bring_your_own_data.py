"""End to end with the user's own data: the three input shapes, the quarantine matrix, and the
errors a user sees, all through `scripts/dbt_build.py` (what `make build` runs)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.conftest import REPO_ROOT, SHARED_MALL_CSV, BuildRun, run_build

pytestmark = pytest.mark.e2e


def _query(database: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(sql).df()


def _assert_ok(run: BuildRun) -> None:
    assert run.returncode == 0, (run.stdout[-3000:], run.stderr[-3000:])


def _write(path: Path, text: str) -> str:
    path.write_text(text)
    return str(path)


def _normal_customers(n: int) -> list[str]:
    """Plausible, varied customers so that clustering has something to work with."""
    return [
        f"n{i},{'Female' if i % 2 else 'Male'},{20 + (i * 7) % 50},{15 + (i * 13) % 120},{1 + (i * 37) % 100}"
        for i in range(n)
    ]


@pytest.fixture(scope="module")
def mall_csv() -> Path:
    if not SHARED_MALL_CSV.exists():
        pytest.skip(f"{SHARED_MALL_CSV} is not available")
    return SHARED_MALL_CSV


# --- the three shapes -------------------------------------------------------------------------


def test_demographics_only_mall_file_as_is(mall_csv: Path, tmp_path: Path) -> None:
    run = run_build(tmp_path, customers=str(mall_csv))
    _assert_ok(run)
    model = _query(run.database, "select input_shape, segment_features, k from int_segment_models_fitted").iloc[0]
    assert model.input_shape == "demographics_only"
    assert list(model.segment_features) == ["age", "annual_income", "spending_score"]
    customers = _query(run.database, "select * from customer_segments")
    assert len(customers) == 200
    assert customers["frequency"].isna().all()
    # The provided spending score is used as given, not derived.
    given = pd.read_csv(mall_csv, dtype={"CustomerID": str})
    merged = customers.merge(given, left_on="customer_id", right_on="CustomerID")
    assert (merged["spending_score"] == merged["Spending Score (1-100)"]).all()
    quality = _query(run.database, "select * from data_quality_summary where grain = 'row' order by source_name")
    assert list(quality["raw_rows"]) == [200, 0] and quality["is_reconciled"].all()


def test_older_mall_variant_genre_padded_ids_no_final_newline(mall_csv: Path, tmp_path: Path) -> None:
    lines = mall_csv.read_text().splitlines()
    header = lines[0].replace("Gender", "Genre")
    rows = [f"{int(line.split(',', 1)[0]):04d},{line.split(',', 1)[1]}" for line in lines[1:]]
    variant = tmp_path / "Mall_Customers_old.csv"
    variant.write_bytes("\r\n".join([header, *rows]).encode())  # no final newline
    run = run_build(tmp_path, customers=str(variant))
    _assert_ok(run)
    customers = _query(run.database, "select customer_id, gender from customers order by customer_id")
    assert len(customers) == 200
    assert customers["customer_id"].iloc[0] == "0001"
    assert set(customers["gender"]) == {"female", "male"}


def test_transactions_only(tmp_path: Path) -> None:
    orders = pd.read_csv(REPO_ROOT / "seeds" / "raw_orders.csv", dtype=str).dropna()
    orders = orders[["customer_id", "ordered_at", "amount"]].rename(columns={"ordered_at": "Date", "amount": "Total"})
    path = tmp_path / "transactions.csv"
    orders.to_csv(path, index=False)
    run = run_build(tmp_path, orders=str(path))
    _assert_ok(run)
    model = _query(run.database, "select input_shape, segment_features from int_segment_models_fitted").iloc[0]
    assert model.input_shape == "orders_only"
    assert list(model.segment_features) == ["recency_days", "frequency", "monetary_total"]
    segments = _query(run.database, "select * from customer_segments")
    assert segments["age"].isna().all() and segments["recency_days"].notna().all()
    assert len(segments) == _query(run.database, "select count(*) as n from customers")["n"].iloc[0]


def test_both_from_parquet_glob_and_duckdb_table(tmp_path: Path) -> None:
    """Customers from a table in another DuckDB file, orders from a glob of Parquet files."""
    data = tmp_path / "data"
    subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "scripts" / "generate_demo_data.py"),
            "--customers",
            "600",
            "--format",
            "parquet",
            "--out",
            str(data),
            "--chunk-size",
            "300",
        ],
        check=True,
    )
    (data / "orders").mkdir()
    with duckdb.connect(str(data / "crm.duckdb")) as connection:
        connection.execute(f"create table crm_customers as select * from '{data}/raw_customers.parquet'")
        connection.execute(
            f"copy (select * from '{data}/raw_orders.parquet' where order_id::int % 2 = 0) "
            f"to '{data}/orders/part-0.parquet'"
        )
        connection.execute(
            f"copy (select * from '{data}/raw_orders.parquet' where order_id::int % 2 = 1) "
            f"to '{data}/orders/part-1.parquet'"
        )
    run = run_build(tmp_path, customers=f"{data}/crm.duckdb:crm_customers", orders=f"{data}/orders/*.parquet")
    _assert_ok(run)
    quality = _query(run.database, "select * from data_quality_summary where grain = 'row' order by source_name")
    raw_orders = _query(run.database, f"select count(*) as n from '{data}/raw_orders.parquet'")["n"].iloc[0]
    assert list(quality["raw_rows"]) == [600 + 6, raw_orders]  # 1% duplicated customers
    assert quality["is_reconciled"].all()
    assert _query(run.database, "select input_shape from int_segment_models_fitted").iloc[0, 0] == (
        "demographics_and_orders"
    )


# --- (b) rows that go to quarantine -----------------------------------------------------------

DIRTY_CUSTOMERS = (
    "\n".join(
        [
            "customer_id,gender,age,annual_income,spending_score",
            "g1,F,30,50,40",
            "g2,female,31,52,42",
            "g3, Female ,32,54,44",
            "g4,,33,56,46",
            ",F,30,50,40",
            "dup,F,30,50,40",
            "dup,M,31,50,40",
            "same,F,30,50,40",
            "same,F,30,50,40",
            "bad_age,F,abc,50,40",
            "nan_age,F,NaN,50,40",
            "inf_income,F,30,inf,40",
            "huge_income,F,30,1e400,40",
            "neg_age,F,-1,50,40",
            "old_age,F,121,50,40",
            "neg_income,F,30,-5,40",
            "score_low,F,30,50,0",
            "score_high,F,30,50,101",
            *_normal_customers(30),
        ]
    )
    + "\n"
)

DIRTY_ORDERS = (
    "\n".join(
        [
            "order_id,customer_id,ordered_at,amount",
            "o1,g1,2024-01-05 10:00:00,10",
            "o2,g1,2024-01-06 10:00:00,-10",
            "o3,g1,2024-01-07 10:00:00,0",
            "o4,nobody,2024-01-05 10:00:00,10",
            "o5,bad_age,2024-01-05 10:00:00,10",
            "o6,g2,not a date,10",
            "o7,g2,2024-13-45,10",
            "o8,g2,2030-01-01 00:00:00,10",
            "o9,g2,2024-01-05 10:00:00,abc",
            "o10,g2,2024-07-01 10:00:00,10",
            *[f"n{i},n{i},2024-0{1 + i % 5}-1{i % 9} 12:00:00,{5 + i * 3}" for i in range(30)],
        ]
    )
    + "\n"
)

EXPECTED_CUSTOMER_REASONS = {
    "dup": "conflicting_customer_id",
    "bad_age": "invalid_age",
    "nan_age": "invalid_age",
    "inf_income": "invalid_annual_income",
    "huge_income": "invalid_annual_income",
    "neg_age": "out_of_range_age",
    "old_age": "out_of_range_age",
    "neg_income": "out_of_range_annual_income",
    "score_low": "out_of_range_spending_score",
    "score_high": "out_of_range_spending_score",
}
EXPECTED_ORDER_REASONS = {
    "o4": "unknown_customer",
    "o5": "customer_quarantined",
    "o6": "invalid_ordered_at",
    "o7": "invalid_ordered_at",
    "o8": "ordered_in_future",
    "o9": "invalid_amount",
}


@pytest.fixture(scope="module")
def dirty_build(tmp_path_factory: pytest.TempPathFactory) -> BuildRun:
    workdir = tmp_path_factory.mktemp("dirty")
    run = run_build(
        workdir,
        customers=_write(workdir / "customers.csv", DIRTY_CUSTOMERS),
        orders=_write(workdir / "orders.csv", DIRTY_ORDERS),
        vars_yaml="{as_of_date: '2024-06-01'}",
    )
    _assert_ok(run)
    return run


def test_bad_rows_are_quarantined_with_their_reason(dirty_build: BuildRun) -> None:
    quarantined = _query(dirty_build.database, "select * from stg_shop__quarantined_rows")
    customers = quarantined[quarantined["source_name"] == "raw_customers"]
    orders = quarantined[quarantined["source_name"] == "raw_orders"]
    by_key = customers.groupby("source_key")["rejection_reason"].agg(set).to_dict()
    for key, reason in EXPECTED_CUSTOMER_REASONS.items():
        assert by_key.get(key) == {reason}, key
    assert (customers["source_key"] == "dup").sum() == 2  # both conflicting copies go
    assert set(customers.loc[customers["source_key"].isna(), "rejection_reason"]) == {"missing_customer_id"}
    assert set(customers.loc[customers["source_key"] == "same", "rejection_reason"]) == {"duplicate_row"}
    order_reasons = dict(zip(orders["source_key"], orders["rejection_reason"], strict=True))
    assert order_reasons == EXPECTED_ORDER_REASONS


def test_raw_equals_clean_plus_quarantined(dirty_build: BuildRun) -> None:
    quality = _query(
        dirty_build.database, "select * from data_quality_summary where grain = 'row' order by source_name"
    )
    assert list(quality["raw_rows"]) == [DIRTY_CUSTOMERS.count("\n") - 1, DIRTY_ORDERS.count("\n") - 1]
    # o10 is after as_of_date (2024-06-01) and passes every check: outside the window, not quarantined
    assert list(quality["after_as_of_date_rows"]) == [0, 1]
    assert (
        quality["raw_rows"] == quality["clean_rows"] + quality["quarantined_rows"] + quality["after_as_of_date_rows"]
    ).all()


def test_gender_spellings_and_refunds(dirty_build: BuildRun) -> None:
    genders = _query(dirty_build.database, "select customer_id, gender from customers where customer_id like 'g%'")
    assert dict(zip(genders["customer_id"], genders["gender"], strict=True)) == {
        "g1": "female",
        "g2": "female",
        "g3": "female",
        "g4": "unknown",
    }
    rfm = _query(dirty_build.database, "select * from customer_rfm where customer_id = 'g1'").iloc[0]
    # one purchase of 10, a return of 10 and a zero-amount order (neither): net 0, one purchase
    assert (rfm.frequency, float(rfm.monetary_total), rfm.refund_count) == (1, 0.0, 1)


# --- (a) clear errors, previous database intact -----------------------------------------------


@pytest.fixture(scope="module")
def previous_build(tmp_path_factory: pytest.TempPathFactory) -> BuildRun:
    """A good demo build whose tables every failing build below must leave alone."""
    run = run_build(tmp_path_factory.mktemp("previous"))
    _assert_ok(run)
    return run


def _profiles(database: Path) -> pd.DataFrame:
    return _query(database, "select * from segment_profiles order by segment_id")


@pytest.mark.parametrize(
    ("case", "inputs", "expected"),
    [
        ("missing file", {"customers": "does/not/exist.csv"}, "customers_path: file"),
        ("ragged csv", {"customers": "ragged.csv"}, "line 3: Expected Number of Columns: 3 Found: 4"),
        ("unknown mapping", {"vars_yaml": "{customers_columns: {shoe_size: Age}}"}, "unknown column 'shoe_size'"),
        ("n_clusters five", {"vars_yaml": "{n_clusters: five}"}, "n_clusters: expected a whole number"),
        ("k_min above k_max", {"vars_yaml": "{k_min: 6, k_max: 3}"}, "k_max (3) must not be below k_min (6)"),
        ("injection path", {"customers": "x; drop table customers"}, "customers_path"),
        (
            "injection feature",
            {"vars_yaml": "{segment_features: ['age; drop table customers']}"},
            "is not a lowercase column name",
        ),
        (
            "bad as_of_date",
            {"vars_yaml": '{as_of_date: "2024-01-01\'; drop table customers; --"}'},
            "expected a date as YYYY-MM-DD",
        ),
    ],
)
def test_bad_input_fails_clearly_and_keeps_the_previous_database(
    previous_build: BuildRun, tmp_path: Path, case: str, inputs: dict[str, str], expected: str
) -> None:
    before = _profiles(previous_build.database)
    if inputs.get("customers") == "ragged.csv":
        inputs = {
            **inputs,
            "customers": _write(tmp_path / "ragged.csv", "customer_id,age,annual_income\n1,20,30\n2,30,40,50\n"),
        }
    run = run_build(tmp_path, database=previous_build.database, **inputs)
    assert run.returncode != 0, case
    assert expected in run.stdout + run.stderr, (run.stdout[-2000:], run.stderr[-2000:])
    assert "the previous database was left as it was" in run.stderr
    pd.testing.assert_frame_equal(_profiles(previous_build.database), before)
    tables = _query(previous_build.database, "select table_name from information_schema.tables")["table_name"]
    assert "customers" in set(tables)


def test_locked_database_gets_a_message_not_a_traceback(previous_build: BuildRun, tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('locked', flush=True); time.sleep(60)"),
            str(previous_build.database),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        run = run_build(tmp_path, database=previous_build.database)
        assert run.returncode == 3
        assert "is locked by" in run.stderr and f"PID {holder.pid}" in run.stderr
        assert "Traceback" not in run.stderr + run.stdout
        assert time.monotonic() - started < 30
    finally:
        holder.kill()
        holder.wait()


# --- data too small or too flat -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "rows", "vars_yaml", "expected"),
    [
        ("single customer", ["c1,30,50"], "{}", "only 1 customer(s) to segment"),
        (
            "fewer than n_clusters",
            [f"c{i},{20 + i},{30 + i}" for i in range(4)],
            "{n_clusters: 5}",
            "only 4 customer(s) to segment; k = 5 needs at least 6",
        ),
        ("all identical", [f"c{i},30,50" for i in range(20)], "{}", "do not vary enough to segment"),
    ],
)
def test_too_little_or_too_flat_data_fails_clearly(
    tmp_path: Path, case: str, rows: list[str], vars_yaml: str, expected: str
) -> None:
    path = _write(tmp_path / "customers.csv", "\n".join(["customer_id,age,annual_income", *rows]) + "\n")
    run = run_build(tmp_path, customers=path, vars_yaml=vars_yaml)
    assert run.returncode != 0, case
    assert expected in run.stderr, run.stderr[-2000:]


def test_zero_variance_feature_still_segments(tmp_path: Path) -> None:
    """A constant column scales to 0 and cannot move any customer; the others decide the segments."""
    rows = [f"c{i},40,{20 + (i % 2) * 100 + i % 5},{1 + (i * 7) % 100}" for i in range(40)]
    path = _write(tmp_path / "customers.csv", "\n".join(["customer_id,age,annual_income,spending_score", *rows]))
    run = run_build(tmp_path, customers=path)
    _assert_ok(run)
    scaling = _query(run.database, "select feature_name, scale from feature_scaling")
    assert dict(zip(scaling["feature_name"], scaling["scale"], strict=True))["age"] == 1.0
    assert _query(run.database, "select count(*) as n from customer_segments")["n"].iloc[0] == 40


def test_rerun_on_the_same_input_is_identical(dirty_build: BuildRun, tmp_path: Path) -> None:
    workdir = dirty_build.database.parent
    again = run_build(
        tmp_path,
        customers=str(workdir / "customers.csv"),
        orders=str(workdir / "orders.csv"),
        vars_yaml="{as_of_date: '2024-06-01'}",
    )
    _assert_ok(again)
    for table, key in (("customer_segments", "customer_id"), ("stg_shop__quarantined_rows", "quarantined_row_id")):
        query = f"select * from {table} order by {key}"
        pd.testing.assert_frame_equal(_query(dirty_build.database, query), _query(again.database, query))

"""End to end: customers with no value for a selected feature are left out with a reason, never stop
the build unless too many are; a feature with no values names its cause; tiny valid inputs pass
every data test. All through `scripts/dbt_build.py` (what `make build` runs) on small CSV files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.conftest import REPO_ROOT, BuildRun, run_build

pytestmark = pytest.mark.e2e

CUSTOMERS_HEADER = "customer_id,age,annual_income,signup_date"
ORDERS_HEADER = "order_id,customer_id,ordered_at,amount"


def _query(database: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(sql).df()


def _assert_ok(run: BuildRun) -> None:
    assert run.returncode == 0, (run.stdout[-3000:], run.stderr[-3000:])


def _assert_fails_with(run: BuildRun, message: str) -> None:
    """The build failed, and the wrapper's summary line for the failed model is exactly the message."""
    assert run.returncode != 0
    assert f"  - int_segment_models_fitted: {message}\n" in run.stderr, run.stderr[-3000:]
    assert "Traceback" not in run.stderr


def _write(path: Path, header: str, rows: list[str]) -> str:
    path.write_text("\n".join([header, *rows]) + "\n")
    return str(path)


def _shop(tmp_path: Path, n_with_orders: int, n_without: int) -> tuple[str, str]:
    """Customers c01.. with a signup date and 1-3 orders each, then customers with neither."""
    customers, orders = [], []
    for i in range(1, n_with_orders + 1):
        customers.append(f"c{i:02d},{20 + 4 * i},{20 + (i % 2) * 80 + i},2023-0{1 + i % 9}-15")
        for j in range(1 + i % 3):
            orders.append(f"o{i:02d}{j},c{i:02d},2024-0{1 + (i + j) % 9}-1{j},{10 + (i % 2) * 90 + 3 * j}.50")
    for i in range(n_with_orders + 1, n_with_orders + n_without + 1):
        customers.append(f"c{i:02d},{20 + 4 * i},{30 + i},")
    return (
        _write(tmp_path / "customers.csv", CUSTOMERS_HEADER, customers),
        _write(tmp_path / "orders.csv", ORDERS_HEADER, orders),
    )


def _report_data(database: Path) -> dict:
    """The data-quality page's data, from its .json.sql through the site's loader."""
    env = {**os.environ, "SEGMENTATION_DUCKDB_PATH": str(database)}
    loader = REPO_ROOT / "reports" / "lib" / "run_sql.py"
    page = REPO_ROOT / "reports" / "src" / "data-quality.json.sql"
    completed = subprocess.run(
        [sys.executable, str(loader), str(page)], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(completed.stdout)


# --- a few customers left out: the build passes and says who and why ---------------------------------


def test_customers_with_no_orders_and_no_signup_date_are_left_out(tmp_path: Path) -> None:
    customers, orders = _shop(tmp_path, n_with_orders=10, n_without=2)
    run = run_build(tmp_path, customers=customers, orders=orders)
    _assert_ok(run)

    model = _query(run.database, "select * from int_segment_models_fitted").iloc[0]
    assert "recency_days" in list(model.segment_features)
    assert (model.n_customers, model.n_customers_not_segmented) == (10, 2)

    left_out = _query(run.database, "select * from customers_not_segmented order by customer_id")
    assert left_out["customer_id"].tolist() == ["c11", "c12"]
    assert left_out["reason"].tolist() == ["no_orders_and_no_signup_date"] * 2
    assert [list(f) for f in left_out["missing_features"]] == [["recency_days"], ["recency_days"]]

    sizes = _query(run.database, "select sum(n_customers) as n from segment_profiles")["n"].iloc[0]
    assert sizes == 10
    segmented = set(_query(run.database, "select customer_id from customer_segments")["customer_id"])
    assert segmented == {f"c{i:02d}" for i in range(1, 11)}
    assert len(_query(run.database, "select * from customer_projections")) == 10

    quality = _query(run.database, "select * from data_quality_summary where source_name = 'raw_customers'").iloc[0]
    assert (quality.clean_rows, quality.segmented_rows, quality.not_segmented_rows) == (12, 10, 2)
    assert dict(quality.not_segmented_by_reason) == {"no_orders_and_no_signup_date": 2}

    page = _report_data(run.database)
    assert page["segmentation"] == [{"clean_rows": 12, "segmented_rows": 10, "not_segmented_rows": 2}]
    assert [(r["reason"], r["n_customers"]) for r in page["not_segmented"]] == [("no_orders_and_no_signup_date", 2)]
    assert page["not_segmented"][0]["meaning"].startswith(
        "The customer has no order before as_of_date and no signup date"
    )


def test_orders_only_customer_whose_orders_were_all_quarantined_is_left_out(tmp_path: Path) -> None:
    """Without a customers file the customers are the order ids; one whose only order is unreadable has no recency."""
    rows = [
        f"o{i}{j},x{i},2024-0{1 + (i + j) % 9}-0{1 + j},{5 + (i % 3) * 40 + j}" for i in range(12) for j in range(2)
    ]
    rows.append("bad1,x99,2024-03-01,twelve")
    orders = _write(tmp_path / "orders.csv", ORDERS_HEADER, rows)
    run = run_build(tmp_path, orders=orders)
    _assert_ok(run)
    quarantined = _query(run.database, "select source_key, rejection_reason from stg_shop__quarantined_rows")
    assert quarantined.values.tolist() == [["bad1", "invalid_amount"]]
    left_out = _query(run.database, "select customer_id, reason from customers_not_segmented")
    assert left_out.values.tolist() == [["x99", "no_orders_and_no_signup_date"]]
    assert _query(run.database, "select count(*) as n from customer_segments")["n"].iloc[0] == 12


# --- too many left out, or nobody left: one line naming features, count, cause and vars ---------------


def test_more_than_max_rejected_share_left_out_stops_the_build(tmp_path: Path) -> None:
    customers, orders = _shop(tmp_path, n_with_orders=4, n_without=6)
    run = run_build(tmp_path, customers=customers, orders=orders)
    _assert_fails_with(
        run,
        "segmentation: 6 of 10 clean customers (60.0%) have no value for a selected feature and would be left out "
        "(limit: max_rejected_share = 0.5): recency_days missing for 6 (no_orders_and_no_signup_date 6). "
        "Remove recency_days from segment_features (e.g. --vars '{segment_features: [age, annual_income, "
        "spending_score, frequency, avg_order_value]}') to segment them, or raise max_rejected_share "
        "(e.g. --vars '{max_rejected_share: 1}') to segment the other 4",
    )

    relaxed = run_build(tmp_path / "relaxed", customers=customers, orders=orders, vars_yaml="{max_rejected_share: 0.6}")
    _assert_ok(relaxed)
    counts = _query(
        relaxed.database,
        "select (select count(*) from customer_segments) as segmented,"
        " (select count(*) from customers_not_segmented) as not_segmented",
    ).iloc[0]
    assert (counts.segmented, counts.not_segmented) == (4, 6)


def test_nobody_left_to_segment_stops_the_build(tmp_path: Path) -> None:
    """Half the customers lack recency, the other half a credit score: with both selected nobody remains."""
    customers = _write(
        tmp_path / "customers.csv",
        "customer_id,age,credit_score,signup_date",
        ["c1,30,,2023-01-01", "c2,40,,2023-02-01", "c3,50,,2023-03-01", "c4,35,600,", "c5,45,700,", "c6,55,800,"],
    )
    orders = _write(
        tmp_path / "orders.csv", ORDERS_HEADER, ["o1,c1,2024-01-05,10", "o2,c2,2024-02-05,20", "o3,c3,2024-03-05,30"]
    )
    run = run_build(
        tmp_path, customers=customers, orders=orders, vars_yaml="{segment_features: [recency_days, credit_score]}"
    )
    _assert_fails_with(
        run,
        "segmentation: none of the 6 clean customers has a value for every selected feature: recency_days missing "
        "for 3 (no_orders_and_no_signup_date 3); credit_score missing for 3 (missing_credit_score 3). "
        "Remove some of recency_days, credit_score from segment_features",
    )


# --- a selected feature with no values at all: the cause -----------------------------------------------

DEMOGRAPHICS = [f"c{i},{20 + 3 * i},{15 + 11 * i}" for i in range(10)]
ORDERS = [f"o{i},c{i},2024-0{1 + i % 9}-10,{10 + 7 * i}" for i in range(10)]


@pytest.mark.parametrize(
    ("case", "inputs", "features", "expected"),
    [
        (
            "no orders input",
            ("customers",),
            "[age, recency_days]",
            "feature 'recency_days' has no values: there is no orders input (orders_path is not set). "
            "Remove it from segment_features",
        ),
        (
            "no such customers column",
            ("customers",),
            "[age, credit_score]",
            "feature 'credit_score' has no values: customers_path ('{customers}') has no credit_score column "
            "(map one with the customers_columns var). Remove it from segment_features",
        ),
        (
            "no customers input",
            ("orders",),
            "[recency_days, age]",
            "feature 'age' has no values: there is no customers input (customers_path is not set): the customers "
            "are the ids in the orders. Remove it from segment_features",
        ),
        (
            "no discount flags",
            ("customers", "orders"),
            "[recency_days, discount_share]",
            "feature 'discount_share' has no values: the orders have no discount flag (no is_discounted column, "
            "or every value is blank). Remove it from segment_features",
        ),
    ],
)
def test_selected_feature_with_no_values_names_the_cause(
    tmp_path: Path, case: str, inputs: tuple[str, ...], features: str, expected: str
) -> None:
    paths = {
        "customers": _write(tmp_path / "customers.csv", "customer_id,age,annual_income", DEMOGRAPHICS),
        "orders": _write(tmp_path / "orders.csv", ORDERS_HEADER, ORDERS),
    }
    run = run_build(tmp_path, **{name: paths[name] for name in inputs}, vars_yaml=f"{{segment_features: {features}}}")
    _assert_fails_with(run, expected.format(**paths))


def test_as_of_date_before_every_order_is_stopped_in_staging(tmp_path: Path) -> None:
    """Orders on or after as_of_date are outside the window, not quarantined; when that is every order, the
    orders input stops the build rather than segment_features: auto quietly dropping every order feature."""
    customers = _write(tmp_path / "customers.csv", "customer_id,age,annual_income", DEMOGRAPHICS)
    orders = _write(tmp_path / "orders.csv", ORDERS_HEADER, ORDERS)
    run = run_build(tmp_path, customers=customers, orders=orders, vars_yaml="{as_of_date: '2023-06-01'}")
    assert run.returncode != 0
    assert (
        f"orders_path ('{orders}'): no clean order is before as_of_date 2023-06-01: all 10 clean rows are on or "
        "after it (the earliest is 2024-01-10). Set a later as_of_date" in run.stdout + run.stderr
    ), run.stdout[-3000:]


# --- tiny valid inputs pass every data test ------------------------------------------------------------


def test_tiny_input_with_singleton_segments_and_a_constant_feature(tmp_path: Path) -> None:
    """6 customers, k = 3: one segment of 4 and two of one customer; credit_score is the same for everyone.

    Ages 20, 50, 50, 50 in the segment of 4 give an interpolated q1 of 42.5 with no value between q1 and the
    lower fence: the whisker stops at q1 instead of lying inside the box.
    """
    customers = _write(
        tmp_path / "customers.csv",
        "customer_id,age,annual_income,credit_score",
        ["c1,20,10,700", "c2,50,11,700", "c3,50,12,700", "c4,50,13,700", "c5,30,100,700", "c6,30,300,700"],
    )
    run = run_build(
        tmp_path, customers=customers, vars_yaml="{n_clusters: 3, segment_features: [annual_income, credit_score]}"
    )
    _assert_ok(run)
    sizes = _query(run.database, "select segment_id, n_customers from segment_profiles order by 1")
    assert sizes.values.tolist() == [[1, 4], [2, 1], [3, 1]]
    stats = _query(
        run.database,
        "select coalesce(segment_id, 0) as segment_id, q1, median_value, q3, whisker_low, whisker_high, std_value"
        " from segment_feature_distributions where feature_name = 'age' order by segment_id",
    )
    assert stats.values.tolist() == [
        [0, 30.0, 40.0, 50.0, 20.0, 50.0, pytest.approx(12.133516)],  # everyone
        [1, 42.5, 50.0, 50.0, 42.5, 50.0, pytest.approx(12.990381)],
        [2, 30.0, 30.0, 30.0, 30.0, 30.0, 0.0],
        [3, 30.0, 30.0, 30.0, 30.0, 30.0, 0.0],
    ]
    credit = _query(
        run.database,
        "select distinct q1, q3, whisker_low, whisker_high from segment_feature_distributions"
        " where feature_name = 'credit_score'",
    )
    assert credit.values.tolist() == [[700.0, 700.0, 700.0, 700.0]]
    assert _query(run.database, "select count(*) as n from customers_not_segmented")["n"].iloc[0] == 0


def test_tiny_input_with_orders_passes_every_test(tmp_path: Path) -> None:
    """6 customers with one or two orders each and k = 2, every default feature: the build and its tests pass."""
    customers = _write(
        tmp_path / "customers.csv",
        CUSTOMERS_HEADER,
        [f"c{i},{25 + 9 * i},{20 + (i // 3) * 90},2023-05-0{i + 1}" for i in range(6)],
    )
    orders = _write(
        tmp_path / "orders.csv",
        "order_id,customer_id,ordered_at,amount,product_category,is_discounted",
        [f"o{i}a,c{i},2024-03-0{i + 1},{15 + (i // 3) * 200},{'books' if i % 2 else 'toys'},{i % 2}" for i in range(6)]
        + ["o0b,c0,2024-04-01,20,books,0"],
    )
    run = run_build(tmp_path, customers=customers, orders=orders, vars_yaml="{n_clusters: 2}")
    _assert_ok(run)
    sizes = _query(run.database, "select n_customers from segment_profiles order by segment_id")["n_customers"]
    assert sorted(sizes.tolist()) == [3, 3]

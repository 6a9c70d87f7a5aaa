"""End to end: the demo rebuilt as of an earlier date is the segmentation as it would have been then.

The demo's orders run from July 2023 to June 2025; as of 2024-01-01 most of them lie after the date.
The features are checked against a plain query over the typed order lines (base_shop__order_lines),
not against the models that compute them, so a window applied in the wrong place shows up as a
difference in some customer's numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.conftest import REPO_ROOT, DbtRun, run_build, run_dbt

pytestmark = pytest.mark.e2e

AS_OF_DATE = dt.date(2024, 1, 1)

# Every clean order of the input, whatever its date, from the typed lines alone.
ALL_CLEAN_ORDERS = """
    select
        order_id,
        any_value(customer_id) as customer_id,
        min(ordered_at) as ordered_at,
        sum(amount) as amount,
        not bool_or(is_cancellation) and sum(amount) > 0 as is_purchase
    from base_shop__order_lines
    where rejection_reason is null
    group by order_id
"""


def _query(database: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(sql).df()


@pytest.fixture(scope="module")
def early_build(tmp_path_factory: pytest.TempPathFactory) -> DbtRun:
    run = run_dbt("build", tmp_path_factory.mktemp("as_of_2024"), vars_yaml=f"{{as_of_date: '{AS_OF_DATE}'}}")
    assert run.returncode == 0, run.output[-4000:]
    failed = {
        name: status
        for name, status in run.statuses().items()
        if status not in ("success", "pass") and not name.startswith("exposure.")
    }
    assert not failed, failed
    return run


def _expected_features(database: Path) -> pd.DataFrame:
    """Frequency, net money and recency per customer from the clean orders before as_of_date."""
    return _query(
        database,
        f"""
        with orders as ({ALL_CLEAN_ORDERS})
        select
            customer_id,
            count(*) filter (where is_purchase) as frequency,
            cast(sum(amount) as decimal(18, 2)) as monetary_total,
            date '{AS_OF_DATE}' - cast(max(ordered_at) filter (where is_purchase) as date) as recency_days
        from orders
        where ordered_at < date '{AS_OF_DATE}'
        group by customer_id
        """,
    )


def test_the_date_falls_inside_the_demo_orders(early_build: DbtRun) -> None:
    """Most clean orders are after the date, so the window has real work; the model records the date."""
    span = _query(
        early_build.database,
        f"""
        with orders as ({ALL_CLEAN_ORDERS})
        select
            count(*) filter (where ordered_at < date '{AS_OF_DATE}') as n_before,
            count(*) filter (where ordered_at >= date '{AS_OF_DATE}') as n_after
        from orders
        """,
    ).iloc[0]
    assert span.n_before > 1000 and span.n_after > span.n_before
    recorded = _query(early_build.database, "select distinct as_of_date from customer_segments")["as_of_date"]
    assert [value.date() for value in recorded] == [AS_OF_DATE]


def test_no_negative_recency_or_tenure(early_build: DbtRun) -> None:
    for table in ("customer_rfm", "int_customers_features_joined", "customer_segments"):
        lows = _query(early_build.database, f"select min(recency_days) as r, min(tenure_days) as t from {table}")
        assert lows.r.iloc[0] >= 0 and lows.t.iloc[0] >= 0, table
    # every segmented customer has both, so none is left out for a gap the date created
    gaps = _query(
        early_build.database,
        "select count(*) as n from customer_segments where recency_days is null or tenure_days is null",
    )
    assert gaps.n.iloc[0] == 0


def test_no_order_after_the_date_counts_in_any_feature(early_build: DbtRun) -> None:
    database = early_build.database
    expected = _expected_features(database)
    rfm = _query(
        database,
        "select customer_id, frequency, monetary_total, recency_days from customer_rfm "
        "where not customer_id in (select customer_id from customers_not_segmented)",
    )
    merged = rfm.merge(expected, on="customer_id", how="left", suffixes=("", "_expected"))
    # a customer with no order before the date: nothing bought, nothing spent
    merged["frequency_expected"] = merged["frequency_expected"].fillna(0)
    merged["monetary_total_expected"] = merged["monetary_total_expected"].fillna(0)
    assert (merged["frequency"] == merged["frequency_expected"]).all()
    assert (merged["monetary_total"].astype(float) == merged["monetary_total_expected"].astype(float)).all()
    bought = merged["recency_days_expected"].notna()
    assert bought.sum() > 1000
    assert (merged.loc[bought, "recency_days"] == merged.loc[bought, "recency_days_expected"]).all()

    # the staged orders, the segments and every mart built on orders stop before the date
    latest = _query(
        database,
        "select (select max(ordered_at) from stg_shop__orders) as orders, "
        "(select max(ordered_at) from stg_shop__order_lines) as lines",
    ).iloc[0]
    assert latest.orders.date() < AS_OF_DATE and latest.lines.date() < AS_OF_DATE
    segments = _query(database, "select customer_id, frequency, monetary_total from customer_segments")
    placed = segments.merge(expected, on="customer_id", how="left", suffixes=("", "_expected")).fillna(0)
    assert (placed["frequency"] == placed["frequency_expected"]).all()
    revenue = _query(database, "select sum(net_revenue) as r from segment_profiles").r.iloc[0]
    assert float(revenue) == pytest.approx(float(segments["monetary_total"].astype(float).sum()))
    purchase_lines = _query(
        database,
        f"""
        with orders as ({ALL_CLEAN_ORDERS})
        select count(*) as n
        from base_shop__order_lines as lines
        inner join orders on lines.order_id = orders.order_id
        where lines.rejection_reason is null and orders.is_purchase and orders.ordered_at < date '{AS_OF_DATE}'
            and orders.customer_id in (select customer_id from customer_segments)
        """,
    ).n.iloc[0]
    counted = _query(database, "select sum(n_purchases) as n from segment_product_categories").n.iloc[0]
    assert counted == purchase_lines


def test_customers_signed_up_after_the_date_are_not_segmented(early_build: DbtRun) -> None:
    database = early_build.database
    later = _query(
        database,
        f"""
        with orders as ({ALL_CLEAN_ORDERS})
        select customer_id
        from stg_shop__customers
        where signup_date >= date '{AS_OF_DATE}'
            and customer_id not in (select customer_id from orders where ordered_at < date '{AS_OF_DATE}')
        order by customer_id
        """,
    )["customer_id"].tolist()
    assert len(later) > 100
    listed = _query(
        database,
        "select customer_id, reason, missing_features from customers_not_segmented "
        "where customer_id in (select customer_id from stg_shop__customers where signup_date >= date "
        f"'{AS_OF_DATE}') order by customer_id",
    )
    assert listed["customer_id"].tolist() == later
    assert set(listed["reason"]) == {"signed_up_after_as_of_date"}
    assert all(len(features) == 0 for features in listed["missing_features"])
    placed = _query(
        database,
        f"select count(*) as n from customer_segments inner join customers using (customer_id) "
        f"where customers.signup_date >= date '{AS_OF_DATE}'",
    ).n.iloc[0]
    # a later signup is segmented only with an order before the date (joined by buying)
    bought_first = _query(
        database,
        f"""
        with orders as ({ALL_CLEAN_ORDERS})
        select count(distinct customers.customer_id) as n
        from stg_shop__customers as customers
        inner join orders on customers.customer_id = orders.customer_id
        where customers.signup_date >= date '{AS_OF_DATE}' and orders.ordered_at < date '{AS_OF_DATE}'
        """,
    ).n.iloc[0]
    assert placed == bought_first
    meaning = _query(
        database, "select meaning from not_segmented_reasons where reason_code = 'signed_up_after_as_of_date'"
    )
    assert len(meaning) == 1


def test_raw_rows_are_clean_quarantined_or_after_the_date(early_build: DbtRun) -> None:
    """Orders after the date are counted apart, not quarantined; each grain still reconciles."""
    database = early_build.database
    summary = _query(database, "select * from data_quality_summary order by source_name").set_index("source_name")
    raw_orders = _query(
        database, f"select count(*) as n from read_csv('{REPO_ROOT}/seeds/raw_orders.csv', all_varchar = true)"
    ).n.iloc[0]
    lines = summary.loc["raw_orders"]
    assert lines.raw_rows == raw_orders
    assert lines.after_as_of_date_rows > lines.clean_rows > 0
    for source in ("raw_customers", "raw_orders", "orders"):
        row = summary.loc[source]
        assert row.raw_rows == row.clean_rows + row.quarantined_rows + row.after_as_of_date_rows, source
        assert row.is_reconciled, source
    assert summary.loc["raw_customers", "after_as_of_date_rows"] == 0
    assert summary.loc["orders", "after_as_of_date_rows"] > 0
    # the window quarantines nothing: the quarantine is what it is with no as_of_date at all
    reasons = set(_query(database, "select distinct rejection_reason from stg_shop__quarantined_rows").iloc[:, 0])
    assert not {reason for reason in reasons if "as_of_date" in reason}
    later = _query(
        database,
        "select not_segmented_by_reason['signed_up_after_as_of_date'] as n, not_segmented_rows "
        "from data_quality_summary where source_name = 'raw_customers'",
    ).iloc[0]
    assert later.n == later.not_segmented_rows > 0


def test_next_month_as_of_the_demo_date_is_the_demo(tmp_path: Path) -> None:
    """The demo one month later (generate_demo_data.py --next-month) rebuilt as of the demo's own date
    gives the demo's segmentation row for row: July's orders are after the date, the new customers
    signed up after it, and nothing else differs."""
    folder = tmp_path / "next_month"
    generator = REPO_ROOT / "scripts" / "generate_demo_data.py"
    subprocess.run([sys.executable, str(generator), "--next-month", "--out", str(folder)], check=True)
    demo = run_build(tmp_path / "demo")
    later = run_build(
        tmp_path / "later",
        customers=str(folder / "raw_customers.csv"),
        orders=str(folder / "raw_orders.csv"),
        vars_yaml="{as_of_date: '2025-07-01'}",
    )
    for run in (demo, later):
        assert run.returncode == 0, run.stderr[-3000:]
    query = "select * from customer_segments order by customer_id"
    pd.testing.assert_frame_equal(_query(demo.database, query), _query(later.database, query))
    summary = json.loads((folder / "ground_truth" / "next_month_summary.json").read_text())
    first_id, last_id = summary["new_order_ids"]
    july = _query(
        later.database,
        "select coalesce(rejection_reason, 'clean') as reason, bool_and(is_after_as_of_date) as after, "
        f"count(*) as n from base_shop__order_lines where cast(order_id as bigint) between {first_id} and {last_id} "
        "group by all",
    ).set_index("reason")
    assert july.n.sum() == summary["new_orders"]
    # every July order is after the date, and only those of customers the demo quarantines are quarantined
    assert set(july.index) == {"clean", "customer_quarantined"} and july.after.all()
    counts = _query(
        later.database,
        "select (select after_as_of_date_rows from data_quality_summary where source_name = 'orders') as after, "
        "(select count(*) from customers_not_segmented where reason = 'signed_up_after_as_of_date') as later",
    ).iloc[0]
    assert counts.after == july.n["clean"]
    assert counts.later == summary["new_customers"]

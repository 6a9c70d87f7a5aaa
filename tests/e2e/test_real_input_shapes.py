"""Real order and customer exports, as users have them: invoice lines, US and European dates,
decimal commas and currency symbols, float ids, dollar incomes, birth years, and the absurd
rows real files hold. Each case asserts the value the build produced or the exact reason code
or message the user gets."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.conftest import REPO_ROOT, SHARED_PERSONALITY_CSV, BuildRun, run_build, run_dbt

pytestmark = pytest.mark.e2e

# Staging and the RFM features only: enough to check reading and typing, without the clustering.
STAGING = ("--select", "rejection_reasons +int_customers_rfm_scored +stg_shop__quarantined_rows")


def _query(database: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(sql).df()


def _write(path: Path, lines: list[str]) -> str:
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def _stage(workdir: Path, *, customers: str | None = None, orders: str | None = None, **extra_vars) -> Path:
    """dbt build of staging and RFM on these inputs; returns the database, failing on any error."""
    run = _stage_run(workdir, customers=customers, orders=orders, **extra_vars)
    assert run.returncode == 0, run.output[-4000:]
    return run.database


def _stage_run(workdir: Path, *, customers: str | None = None, orders: str | None = None, **extra_vars):
    variables = {k: v for k, v in {"customers_path": customers, "orders_path": orders}.items() if v}
    return run_dbt("build", workdir, vars_yaml=json.dumps({**variables, **extra_vars}), extra_args=STAGING)


def _reasons(database: Path, source_name: str = "raw_orders") -> dict[int, str]:
    rows = _query(
        database,
        f"select source_row, rejection_reason from stg_shop__quarantined_rows where source_name = '{source_name}'",
    )
    return dict(zip(rows["source_row"], rows["rejection_reason"], strict=True))


def _generate(out: Path, *args: str) -> Path:
    subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "generate_demo_data.py"), "--out", str(out), *args],
        check=True,
        capture_output=True,
    )
    return out


# --- invoice lines ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def online_retail_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildRun, Path]:
    """The generator's Online Retail export (InvoiceNo, StockCode, ..., US dates, float ids), as is."""
    workdir = tmp_path_factory.mktemp("online_retail")
    data = _generate(workdir / "data", "--customers", "300", "--order-shape", "lines", "--style", "online-retail")
    run = run_build(workdir, orders=str(data / "raw_orders.csv"))
    assert run.returncode == 0, run.stderr[-3000:]
    return run, data / "raw_orders.csv"


def test_online_retail_lines_give_the_figures_of_a_plain_query(online_retail_build: tuple[BuildRun, Path]) -> None:
    """Customers, purchases and net revenue equal a DuckDB query written from the export's format."""
    run, path = online_retail_build
    with duckdb.connect() as connection:
        expected = connection.execute(
            """
            with lines as (
                -- a whole line repeated is one line; blank customers are guests
                select distinct InvoiceNo, StockCode, Quantity, UnitPrice, InvoiceDate,
                    replace(CustomerID, '.0', '') as customer
                from read_csv($path, all_varchar = true)
                where CustomerID <> '' and Quantity <> '' and UnitPrice <> '' and InvoiceDate <> ''
            ),
            usable as (  -- an invoice naming two customers is unusable
                select * from lines
                qualify count(distinct customer) over (partition by InvoiceNo) = 1
            ),
            invoices as (
                select InvoiceNo, any_value(customer) as customer,
                    sum(Quantity::decimal(18, 3) * UnitPrice::decimal(18, 4)) as total
                from usable group by InvoiceNo
            )
            select
                count(distinct customer) as customers,
                count(*) filter (where not starts_with(InvoiceNo, 'C') and total > 0) as purchases,
                sum(case when starts_with(InvoiceNo, 'C') then -abs(total) else total end) as net_revenue
            from invoices
            """,
            {"path": str(path)},
        ).fetchone()
    built = _query(
        run.database,
        "select count(*) as customers, sum(frequency) as purchases, sum(monetary_total) as net_revenue "
        "from customer_rfm",
    ).iloc[0]
    assert (built.customers, built.purchases) == (expected[0], expected[1])
    assert Decimal(str(built.net_revenue)) == round(expected[2], 2)
    # ids exported as floats are normalised, and no guest line became a customer
    ids = _query(run.database, "select customer_id from customers")["customer_id"]
    assert not ids.str.contains(r"\.").any() and ids.str.fullmatch(r"\d+").all()


def test_online_retail_lines_reconcile_at_both_grains(online_retail_build: tuple[BuildRun, Path]) -> None:
    run, path = online_retail_build
    quality = _query(run.database, "select * from data_quality_summary order by source_name").set_index("source_name")
    assert quality["is_reconciled"].all()
    raw_lines = _query(run.database, f"select count(*) as n from read_csv('{path}', all_varchar = true)")["n"].iloc[0]
    assert quality.loc["raw_orders", "raw_rows"] == raw_lines
    reasons = _query(
        run.database,
        "select rejection_reason, count(*) as n from stg_shop__quarantined_rows group by all",
    ).set_index("rejection_reason")["n"]
    # guests, exact repeats and two-customer invoices go; nothing else is lost
    assert set(reasons.index) <= {
        "missing_customer_id",
        "duplicate_row",
        "conflicting_order_id",
        "missing_quantity",
        "missing_unit_price",
        "missing_ordered_at",
    }
    kinds = _query(run.database, "select order_kind, count(*) as n from stg_shop__orders group by all")
    assert set(kinds["order_kind"]) >= {"purchase", "return"}


def test_lines_of_one_order_are_one_order_and_only_whole_lines_are_duplicates(tmp_path: Path) -> None:
    orders = _write(
        tmp_path / "lines.csv",
        [
            "Invoice No,SKU,Qty,Unit Price,Invoice Date,Customer ID",
            "100,A,2,1.50,2024-01-02 10:00,1",  # row 1
            "100,B,1,4.00,2024-01-02 10:00,1",  # row 2: another product of order 100
            "100,A,2,1.50,2024-01-02 10:00,1",  # row 3: the whole of row 1 again
            "100,A,3,1.50,2024-01-02 10:00,1",  # row 4: same product, other quantity: a line
            "101,A,1,1.50,2024-01-03 10:00,1",  # row 5
            "101,B,1,1.50,2024-01-03 10:00,2",  # row 6: order 101 names two customers
            "C102,A,-2,1.50,2024-01-04 10:00,1",  # row 7: cancellation
            "103,GIFT,1,0.00,2024-01-05 10:00,2",  # row 8: zero price, kept
            "104,A,1,2.00,2024-01-06 10:00,2",  # row 9
        ],
    )
    database = _stage(tmp_path, orders=orders)
    assert _reasons(database) == {3: "duplicate_row", 5: "conflicting_order_id", 6: "conflicting_order_id"}
    orders_table = _query(database, "select order_id, amount, n_lines, order_kind from stg_shop__orders order by 1")
    assert orders_table.to_dict("records") == [
        {"order_id": "100", "amount": Decimal("11.50"), "n_lines": 3, "order_kind": "purchase"},
        {"order_id": "103", "amount": Decimal("0.00"), "n_lines": 1, "order_kind": "no_charge"},
        {"order_id": "104", "amount": Decimal("2.00"), "n_lines": 1, "order_kind": "purchase"},
        {"order_id": "C102", "amount": Decimal("-3.00"), "n_lines": 1, "order_kind": "return"},
    ]
    rfm = _query(database, "select customer_id, frequency, monetary_total from int_customers_rfm_scored order by 1")
    assert rfm.to_dict("records") == [
        {"customer_id": "1", "frequency": 1, "monetary_total": Decimal("8.50")},
        {"customer_id": "2", "frequency": 1, "monetary_total": Decimal("2.00")},
    ]
    amount_type = _query(database, "select typeof(amount) as t from stg_shop__order_lines limit 1")["t"].iloc[0]
    assert amount_type.startswith("DECIMAL")


@pytest.mark.parametrize(
    ("setting", "frequency", "reasons"),
    [("separate_orders", 3, {}), ("duplicates", 2, {2: "duplicate_row"})],
)
def test_identical_rows_of_a_transaction_log(tmp_path: Path, setting: str, frequency: int, reasons: dict) -> None:
    """Without order ids, two identical rows are two purchases unless orders_identical_rows says otherwise."""
    orders = _write(
        tmp_path / "log.csv",
        ["customer,date,amount", "7,2024-02-01,9.99", "7,2024-02-01,9.99", "7,2024-02-03,5.00"],
    )
    database = _stage(tmp_path, orders=orders, orders_identical_rows=setting)
    assert _reasons(database) == reasons
    assert _query(database, "select frequency from int_customers_rfm_scored")["frequency"].tolist() == [frequency]
    kept = _query(database, "select count(*) from stg_shop__order_lines where is_repeat_of_identical_row")
    assert kept.iloc[0, 0] == (1 if setting == "separate_orders" else 0)


def test_float_ids_are_normalised_and_null_tokens_are_missing(tmp_path: Path) -> None:
    customers = _write(
        tmp_path / "customers.csv",
        ["CustomerID,Age", "17850.0,30", "NULL,31", "N/A,32", "NaN,33", "None,34", "-,35", " ,36", "00042,37"],
    )
    orders = _write(tmp_path / "orders.csv", ["CustomerID,Date,Total", "17850,2024-01-01,10", "42.0,2024-01-01,5"])
    database = _stage(tmp_path, customers=customers, orders=orders, max_rejected_share=1)
    assert _query(database, "select customer_id from stg_shop__customers order by 1")["customer_id"].tolist() == [
        "00042",
        "17850",
    ]
    assert set(_reasons(database, "raw_customers").values()) == {"missing_customer_id"}
    assert len(_reasons(database, "raw_customers")) == 6
    # '42.0' is the id 42, which is not '00042': ids are text, only a trailing .0 is dropped
    assert _reasons(database) == {2: "unknown_customer"}


# --- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["12/1/2010 8:26", "12/13/2010 17:05"], ["2010-12-01 08:26:00", "2010-12-13 17:05:00"]),
        (["01.12.2010", "13.12.2010"], ["2010-12-01 00:00:00", "2010-12-13 00:00:00"]),
        (["4-Sep-12", "21-Aug-13"], ["2012-09-04 00:00:00", "2013-08-21 00:00:00"]),
        (["1704067200", "1704153600"], ["2024-01-01 00:00:00", "2024-01-02 00:00:00"]),
        (["1704067200000", "1704153600123"], ["2024-01-01 00:00:00", "2024-01-02 00:00:00.123"]),
        (
            ["2024-03-01T10:00:00+05:30", "2024-03-02T10:00:00Z"],
            ["2024-03-01 04:30:00", "2024-03-02 10:00:00"],
        ),
    ],
    ids=["us", "european", "month-name", "epoch-seconds", "epoch-milliseconds", "iso-offset"],
)
def test_date_formats_are_detected(tmp_path: Path, values: list[str], expected: list[str]) -> None:
    orders = _write(tmp_path / "orders.csv", ["customer_id,ordered_at,amount", *[f"1,{v},10" for v in values]])
    database = _stage(tmp_path, orders=orders)
    assert _reasons(database) == {}
    parsed = _query(database, "select cast(ordered_at as varchar) as t from stg_shop__order_lines order by 1")
    assert parsed["t"].tolist() == expected


def test_ambiguous_day_and_month_stop_and_name_the_var(tmp_path: Path) -> None:
    orders = _write(tmp_path / "orders.csv", ["customer_id,ordered_at,amount", "1,01/02/2010,10", "1,03/04/2010,10"])
    run = _stage_run(tmp_path, orders=orders)
    assert run.returncode != 0
    assert "(day and month are ambiguous); set orders_date_format to the right one" in run.output
    settled = _stage(tmp_path / "settled", orders=orders, orders_date_format="%d/%m/%Y")
    dates = _query(settled, "select strftime(ordered_at, '%Y-%m-%d') as d from stg_shop__order_lines order by 1")
    assert dates["d"].tolist() == ["2010-02-01", "2010-04-03"]


# --- money ----------------------------------------------------------------------------------------


def test_decimal_commas_and_currency_symbols(tmp_path: Path) -> None:
    european = _write(
        tmp_path / "eu.csv", ["customer;date;amount", "1;01.12.2010;12,50", "1;02.12.2010;1.234,50", "1;03.12.2010;7"]
    )
    database = _stage(tmp_path / "eu", orders=european)
    amounts = _query(database, "select amount from stg_shop__order_lines order by amount")["amount"].tolist()
    assert amounts == [Decimal("7"), Decimal("12.5"), Decimal("1234.5")]

    symbols = _write(
        tmp_path / "symbols.csv",
        [
            "customer_id,ordered_at,amount",
            "1,2024-01-01,£12.50",
            '1,2024-01-02,"$1,234.00"',
            "1,2024-01-03,(5.25)",
            "1,2024-01-04,1e17",
            "1,2024-01-05,twelve",
            "1,2024-01-06,infinity",
        ],
    )
    database = _stage(tmp_path / "symbols", orders=symbols)
    amounts = _query(database, "select amount from stg_shop__order_lines order by amount")["amount"].tolist()
    assert amounts == [Decimal("-5.25"), Decimal("12.50"), Decimal("1234.00")]
    assert _reasons(database) == {4: "out_of_range_amount", 5: "invalid_amount", 6: "invalid_amount"}


def test_average_order_value_is_exact(tmp_path: Path) -> None:
    """Averages are rounded in exact cents and stay DECIMAL, never a float a cent off."""
    orders = _write(
        tmp_path / "orders.csv",
        ["customer_id,ordered_at,amount", "1,2024-01-01,0.01", "1,2024-01-02,0.01", "1,2024-01-03,0.02"],
    )
    database = _stage(tmp_path, orders=orders)
    value = _query(
        database,
        "select typeof(avg_order_value) as t, cast(avg_order_value as varchar) as v from int_customers_rfm_scored",
    ).iloc[0]
    assert (value.t, value.v) == ("DECIMAL(18,2)", "0.01")  # 0.04 / 3 = 0.0133...


# --- income units and age -------------------------------------------------------------------------


def test_birth_year_and_birth_date_give_age_as_of_as_of_date(tmp_path: Path) -> None:
    by_year = _write(tmp_path / "year.csv", ["id,Year_Birth,Income", "1,1980,52000", "2,1893,61000", "3,1995,"])
    database = _stage(tmp_path / "year", customers=by_year, as_of_date="2020-06-30", max_rejected_share=1)
    ages = _query(database, "select customer_id, age, annual_income from stg_shop__customers order by 1")
    assert ages.to_dict("records") == [{"customer_id": "1", "age": 40, "annual_income": 52.0}]
    assert _reasons(database, "raw_customers") == {2: "out_of_range_age", 3: "missing_annual_income"}

    by_date = _write(tmp_path / "date.csv", ["id,date_of_birth", "1,1980-07-01", "2,1980-06-30"])
    database = _stage(tmp_path / "date", customers=by_date, as_of_date="2020-06-30")
    ages = _query(database, "select customer_id, age from stg_shop__customers order by 1")["age"].tolist()
    assert ages == [39, 40]


def test_income_unit_can_be_forced(tmp_path: Path) -> None:
    customers = _write(tmp_path / "c.csv", ["id,Income", "1,52000", "2,61000"])
    database = _stage(tmp_path / "auto", customers=customers)
    assert _query(database, "select annual_income from stg_shop__customers order by 1")["annual_income"].tolist() == [
        52.0,
        61.0,
    ]
    run = _stage_run(tmp_path / "thousands", customers=customers, income_unit="thousands")
    assert run.returncode != 0
    assert "100.0% of 2 rows were quarantined (no clean row is left). Top reasons: out_of_range_annual_income 2" in (
        run.output
    )


@pytest.mark.skipif(not SHARED_PERSONALITY_CSV.exists(), reason=f"{SHARED_PERSONALITY_CSV} is not available")
def test_customer_personality_builds_with_no_mapping(tmp_path: Path) -> None:
    """Dollar incomes, birth years and 4-Sep-12 signup dates: decided from the values, and said so."""
    run = run_build(tmp_path, customers=str(SHARED_PERSONALITY_CSV))
    assert run.returncode == 0, run.stderr[-3000:]
    assert "income column 'Income' is in whole units (median 51,382): divided by 1,000" in run.stdout
    assert "column 'Dt_Customer' (signup_date): dates read as %d-%b-%y" in run.stdout
    assert "age computed from column 'Year_Birth' (birth_year)" in run.stdout
    quality = _query(run.database, "select * from data_quality_summary where source_name = 'raw_customers'").iloc[0]
    assert (quality.raw_rows, quality.clean_rows) == (2240, 2215)
    assert str(_query(run.database, "select as_of_date from base_shop__as_of_date").iloc[0, 0])[:10] == "2014-12-07"
    reasons = _query(run.database, "select rejection_reason, count(*) as n from stg_shop__quarantined_rows group by 1")
    assert dict(zip(reasons["rejection_reason"], reasons["n"], strict=True)) == {
        "missing_annual_income": 24,  # the published file's blank incomes
        "out_of_range_age": 1,  # born 1893
    }


# --- loud failures and absurd rows ---------------------------------------------------------------


def test_most_rows_rejected_stops_with_the_reasons_and_the_var(tmp_path: Path) -> None:
    customers = _write(tmp_path / "c.csv", ["customer_id,age", "1,30", "2,40"])
    orders = _write(
        tmp_path / "o.csv",
        ["customer_id,ordered_at,amount", "1,2024-01-01,5", "9,2024-01-01,5", "9,2024-01-02,5", "8,2024-01-03,5"],
    )
    run = _stage_run(tmp_path, customers=customers, orders=orders)
    assert run.returncode != 0
    assert (
        "75.0% of 4 rows were quarantined (limit: max_rejected_share = 0.5). Top reasons: unknown_customer 3. "
        'Example unknown_customer row: {"customer_id":"8","ordered_at":"2024-01-03","amount":"5"}. '
        "Fix the input, or raise max_rejected_share"
    ) in run.output
    relaxed = _stage(tmp_path / "relaxed", customers=customers, orders=orders, max_rejected_share=0.8)
    assert _query(relaxed, "select count(*) as n from stg_shop__orders")["n"].iloc[0] == 1


def test_as_of_date_before_every_order_stops(tmp_path: Path) -> None:
    orders = _write(tmp_path / "o.csv", ["customer_id,ordered_at,amount", "1,2024-01-01,5", "2,2024-02-01,5"])
    run = _stage_run(tmp_path, orders=orders, as_of_date="2023-01-01")
    assert run.returncode != 0
    assert "no clean order is before as_of_date 2023-01-01: all 2 clean rows are on or after it" in run.output


def test_absurd_rows_are_quarantined_and_never_move_as_of_date(tmp_path: Path) -> None:
    customers = _write(
        tmp_path / "c.csv",
        ["customer_id,age,signup_date", *[f"{i},30,2023-01-0{i}" for i in range(1, 8)], "8,30,2999-01-01"],
    )
    orders = _write(
        tmp_path / "o.csv",
        [
            "customer_id,ordered_at,amount",
            *[f"{i},2024-03-0{i},10" for i in range(1, 8)],
            "1,0001-01-01,10",
            "2,2999-01-01,10",
            "3,12024-01-01,10",
            "4,infinity,10",
            "5,2024-03-01,1e17",
        ],
    )
    database = _stage(tmp_path, customers=customers, orders=orders)
    assert _reasons(database) == {
        8: "out_of_range_ordered_at",
        9: "ordered_in_future",
        10: "invalid_ordered_at",
        11: "invalid_ordered_at",
        12: "out_of_range_amount",
    }
    assert _reasons(database, "raw_customers") == {8: "signed_up_in_future"}
    as_of = _query(database, "select as_of_date, as_of_date_rule from base_shop__as_of_date").iloc[0]
    assert (str(as_of.as_of_date)[:10], as_of.as_of_date_rule) == ("2024-03-08", "day after the latest order")


def test_double_ids_in_parquet_and_epoch_milliseconds(tmp_path: Path) -> None:
    """Two exports that passed green with wrong answers before: now read as meant."""
    path = tmp_path / "orders.parquet"
    with duckdb.connect() as connection:
        connection.execute(
            f"""copy (select 17850.0::double as CustomerID, 1704067200000 + i * 86400000 as InvoiceDate,
                         (i + 1) * 1.25 as Amount from range(3) t(i)) to '{path}'"""
        )
    database = _stage(tmp_path, orders=str(path))
    lines = _query(
        database, "select customer_id, strftime(ordered_at, '%Y-%m-%d') as d from stg_shop__order_lines order by 2"
    )
    assert lines["customer_id"].tolist() == ["17850"] * 3
    assert lines["d"].tolist() == ["2024-01-01", "2024-01-02", "2024-01-03"]


# --- whole inputs ---------------------------------------------------------------------------------


def test_an_input_table_named_like_a_model_is_refused(tmp_path: Path) -> None:
    database = tmp_path / "segmentation.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create table customers as select 1 as customer_id, 30 as age")
    run = run_dbt("build", tmp_path, vars_yaml="{customers_path: main.customers}", database=database)
    assert run.returncode != 0
    assert (
        "customers_path: the table 'main.customers' has the name of this project's model 'customers', "
        "which the build would overwrite"
    ) in run.output
    with duckdb.connect(str(database), read_only=True) as connection:
        assert connection.sql("select count(*) from customers").fetchall() == [(1,)]


def test_a_file_name_with_glob_characters_is_read_as_written(tmp_path: Path) -> None:
    _write(tmp_path / "orders1.csv", ["customer_id,ordered_at,amount", "decoy,2024-01-01,1"])
    literal = _write(tmp_path / "orders[1].csv", ["customer_id,ordered_at,amount", "real,2024-01-01,1"])
    database = _stage(tmp_path, orders=literal)
    assert _query(database, "select customer_id from stg_shop__customers")["customer_id"].tolist() == ["real"]


def test_a_broken_gzip_names_the_var_and_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "orders.csv.gz"
    broken.write_bytes(b"this is not gzip")
    run = run_build(tmp_path, orders=str(broken))
    assert run.returncode != 0
    assert f"orders_path ('{broken}'): IO Error: Input is not a GZIP stream" in run.stderr


@pytest.mark.parametrize(
    ("case", "files", "expected"),
    [
        ("glob matching nothing", {}, "customers_path: no file matches the glob"),
        ("empty file", {"c.csv": ""}, "the file is empty; expected a header row and data rows"),
        ("header only", {"c.csv": "customer_id,age\n"}, "has a header but no data rows"),
        (
            "not UTF-8",
            {"c.csv": "customer_id,age\n1,20\n2,3\udcff0\n"},
            "Invalid Input Error: CSV Error on Line: 3",
        ),
        ("no customer id", {"c.csv": "name,age\nann,20\n"}, "required column(s) ['customer_id'] not found"),
        (
            "two age columns",
            {"c.csv": "id,Age,Age (years)\n1,20,21\n"},
            "could all be age; choose one with the customers_columns var",
        ),
        ("unknown format", {"c.xlsx": "x"}, "customers_path: cannot tell the format of"),
    ],
)
def test_whole_input_problems_stop_with_one_line(tmp_path: Path, case: str, files: dict, expected: str) -> None:
    for name, text in files.items():
        (tmp_path / name).write_bytes(text.encode("utf-8", "surrogateescape"))
    path = tmp_path / (next(iter(files)) if files else "nothing_*.csv")
    run = run_build(tmp_path, customers=str(path))
    assert run.returncode == 1, case
    summary = run.stderr.split("error: the build failed", 1)[1]
    assert expected in summary, (case, run.stderr[-2000:])
    if case == "not UTF-8":
        assert f"customers_path ('{path}')" in summary


def test_a_mapping_to_a_missing_column_names_the_columns(tmp_path: Path) -> None:
    customers = _write(tmp_path / "c.csv", ["Cust No,Years", "1,20"])
    run = run_build(tmp_path, customers=customers, vars_yaml='{customers_columns: {customer_id: "Cust No", age: Age}}')
    assert run.returncode == 1
    assert "mapped column 'Age' (for age) is not in the input; its columns are ['Cust No', 'Years']" in run.stderr


def test_tab_separated_and_quoted_values_are_read_by_duckdb(tmp_path: Path) -> None:
    customers = tmp_path / "c.tsv"
    customers.write_text('customer_id\tage\tregion\n1\t20\t"North, upper"\n2\t30\t"South ""old"""\n')
    database = _stage(tmp_path, customers=str(customers))
    regions = _query(database, "select region from stg_shop__customers order by customer_id")["region"].tolist()
    assert regions == ["North, upper", 'South "old"']


def test_a_column_mixing_decimal_commas_and_points_stops(tmp_path: Path) -> None:
    orders = _write(
        tmp_path / "o.csv",
        ["customer_id;ordered_at;amount", "1;2024-01-01;12,50", "1;2024-01-02;12.50", "1;2024-01-03;3,25"],
    )
    run = _stage_run(tmp_path, orders=orders)
    assert run.returncode != 0
    assert "money columns ['amount'] mix decimal commas ('12,50', 2 values) and decimal points ('12.50', 1 values)" in (
        run.output
    )
    settled = _stage(tmp_path / "settled", orders=orders, orders_decimal_separator=",", max_rejected_share=1)
    assert _reasons(settled) == {2: "invalid_amount"}

"""The demo data generator: deterministic, in sync with the committed seeds, and scalable by chunks."""

from __future__ import annotations

import filecmp
import json
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

import demo_lines
import generate_demo_data as generator
from tests.conftest import REPO_ROOT

SEEDS = REPO_ROOT / "seeds"


def test_committed_seeds_are_the_generators_output(tmp_path: Path) -> None:
    """`make demo-data` reproduces the bundled seeds byte for byte."""
    generator.main(["--customers", "2000", "--format", "csv", "--out", str(tmp_path)])
    for relative in ("raw_customers.csv", "raw_orders.csv", "ground_truth/customer_personas.csv"):
        assert filecmp.cmp(tmp_path / relative, SEEDS / relative, shallow=False), relative


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        generator.generate(tmp_path / name, 300, "csv", seed, chunk_size=100)
    assert filecmp.cmp(tmp_path / "a" / "raw_orders.csv", tmp_path / "b" / "raw_orders.csv", shallow=False)
    assert not filecmp.cmp(tmp_path / "a" / "raw_orders.csv", tmp_path / "c" / "raw_orders.csv", shallow=False)


def test_parquet_output_in_chunks_has_unique_keys(tmp_path: Path) -> None:
    counts = generator.generate(tmp_path, 2500, "parquet", seed=1, chunk_size=1000)
    with duckdb.connect() as connection:
        personas = connection.sql(
            f"select count(*), count(distinct customer_id) from '{tmp_path}/ground_truth/customer_personas.parquet'"
        ).fetchall()[0]
        orders = connection.sql(
            f"select count(*), count(distinct order_id) from '{tmp_path}/raw_orders.parquet'"
        ).fetchall()[0]
        types = connection.sql(f"describe select * from '{tmp_path}/raw_customers.parquet'").df()
    assert personas == (2500, 2500) == (counts["personas"], counts["personas"])
    # Duplicated orders repeat their id on purpose; every other order id is distinct.
    assert orders[0] == counts["orders"]
    assert orders[1] > 0.97 * orders[0]
    assert set(types["column_type"]) == {"VARCHAR"}


def test_personas_differ_in_what_the_features_measure() -> None:
    """The latent structure is real: persona means differ clearly on demographics and buying."""
    personas = pd.read_csv(SEEDS / "ground_truth" / "customer_personas.csv", dtype=str)
    customers = pd.read_csv(SEEDS / "raw_customers.csv", dtype=str).drop_duplicates("customer_id")
    joined = customers.merge(personas, on="customer_id")
    age = pd.to_numeric(joined["age"], errors="coerce").groupby(joined["persona"]).median()
    income = pd.to_numeric(joined["annual_income"], errors="coerce").groupby(joined["persona"]).median()
    assert set(age.index) == {p.name for p in generator.PERSONAS}
    assert age["young_trendsetter"] < 30 < age["loyal_regular"]
    assert income["affluent_big_spender"] > 1.5 * income["discount_seeker"]


def test_dirty_rows_are_injected() -> None:
    customers = pd.read_csv(SEEDS / "raw_customers.csv", dtype=str, keep_default_na=False)
    orders = pd.read_csv(SEEDS / "raw_orders.csv", dtype=str, keep_default_na=False)
    assert customers.duplicated().sum() > 0
    assert (customers["age"] == "").sum() > 0
    assert (pd.to_numeric(customers["age"], errors="coerce") > 120).sum() > 0
    assert customers["gender"].str.strip().str.lower().isin(["f", "m"]).sum() > 0
    amounts = pd.to_numeric(orders["amount"], errors="coerce")
    assert (amounts < 0).sum() > 0 and (amounts == 0).sum() > 0
    known = set(customers["customer_id"].str.strip())
    assert (~orders["customer_id"].isin(known) & (orders["customer_id"] != "")).sum() > 0


def test_rejects_an_empty_size(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="--customers"):
        generator.generate(tmp_path, 0, "csv", seed=1, chunk_size=10)


# --- Orders as invoice lines (--order-shape lines, --style, --decimal-comma) -------------------

LINE_CUSTOMERS = 400
LINE_SEED = 7
CANONICAL_LINE_HEADER = [
    "order_id",
    "line_number",
    "product_id",
    "product_category",
    "quantity",
    "unit_price",
    "ordered_at",
    "customer_id",
    "is_discounted",
]
ONLINE_RETAIL_HEADER = [
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
]
# Each written format by its definition: the columns a reader maps, and how dates are written.
LINE_FORMATS = {
    "canonical": {
        "invoice": "order_id",
        "product": "product_id",
        "quantity": "quantity",
        "price": "unit_price",
        "time": "ordered_at",
        "customer": "customer_id",
        "time_format": "%Y-%m-%d %H:%M:%S",
    },
    "online-retail": {
        "invoice": "InvoiceNo",
        "product": "StockCode",
        "quantity": "Quantity",
        "price": "UnitPrice",
        "time": "InvoiceDate",
        "customer": "CustomerID",
        "time_format": "%m/%d/%Y %H:%M",
    },
}
EUROPEAN_TIMESTAMP = "%d.%m.%Y %H:%M"


def _write(folder: Path, **options: object) -> Path:
    options = {"order_shape": "lines", "chunk_size": None, **options}
    generator.generate(folder, LINE_CUSTOMERS, "csv", LINE_SEED, **options)
    return folder


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One small data set per shape and style, all from the same seed."""
    root = tmp_path_factory.mktemp("lines")
    return {
        "orders": _write(root / "orders", order_shape="orders"),
        "canonical": _write(root / "canonical"),
        "online-retail": _write(root / "online-retail", style="online-retail"),
        "canonical-comma": _write(root / "canonical-comma", decimal_comma=True),
        "online-retail-comma": _write(root / "online-retail-comma", style="online-retail", decimal_comma=True),
        "orders-comma": _write(root / "orders-comma", order_shape="orders", decimal_comma=True),
    }


def _summary(folder: Path) -> dict:
    return json.loads((folder / "ground_truth" / "line_summary.json").read_text())


def _read_lines(connection: duckdb.DuckDBPyConnection, path: Path, style: str, decimal_comma: bool = False) -> None:
    """View `lines`: the file parsed by its format's definition, not by the generator's code."""
    spec = LINE_FORMATS[style]
    time_format = EUROPEAN_TIMESTAMP if decimal_comma else spec["time_format"]
    connection.execute(
        f"""
        create or replace view lines as
        select
            {spec["invoice"]} as invoice,
            {spec["product"]} as product,
            cast({spec["quantity"]} as integer) as quantity,
            cast(replace({spec["price"]}, ',', '.') as decimal(18, 2)) as unit_price,
            strptime({spec["time"]}, '{time_format}') as ordered_at,
            cast(cast(replace({spec["customer"]}, ',', '.') as double) as bigint) as customer_id
        from read_csv('{path}', delim='{";" if decimal_comma else ","}', header = true, all_varchar = true)
        """
    )


def _file_summary(connection: duckdb.DuckDBPyConnection) -> dict[str, int]:
    row = connection.sql(
        """
        select
            count(*),
            count(distinct invoice) filter (where invoice not like 'C%'),
            count(distinct invoice) filter (where invoice like 'C%'),
            count(distinct customer_id) filter (where invoice not like 'C%'),
            cast(sum(quantity * unit_price) * 100 as bigint),
            count(*) filter (where quantity < 0),
            count(*) filter (where unit_price = 0),
            count(*) filter (where customer_id is null),
            (
                select count(*) from (
                    select invoice from lines where customer_id is not null
                    group by invoice having count(distinct customer_id) > 1
                )
            )
        from lines
        """
    ).fetchall()[0]
    names = [
        "lines",
        "sales_invoices",
        "cancellation_invoices",
        "customers_with_purchases",
        "net_revenue_cents",
        "negative_quantity_lines",
        "zero_price_lines",
        "blank_customer_lines",
        "invoices_with_two_customers",
    ]
    return dict(zip(names, row, strict=True))


def test_order_lines_add_up_to_the_order_amounts() -> None:
    """Each order becomes 1-8 distinct products whose total is the order amount to within a cent per item."""
    rng = np.random.default_rng(3)
    customers = generator.generate_customers(rng, 1, 300)
    orders = generator.generate_orders(rng, customers)
    weights = np.array([p.category_weights for p in generator.PERSONAS])[customers["persona_idx"]]
    index = orders["customer_id"].to_numpy() - 1
    lines = demo_lines.split_orders(rng, orders, weights[index])
    lines["total_cents"] = lines["quantity"] * lines["price_cents"]
    per_order = lines.groupby("order_key").agg(
        n=("product", "size"),
        products=("product", "nunique"),
        items=("quantity", "sum"),
        cents=("total_cents", "sum"),
        first_product=("product", "first"),
    )
    assert per_order["n"].between(1, 8).all() and per_order["n"].max() == 8
    assert 3.0 < per_order["n"].mean() < 4.0
    assert (per_order["products"] == per_order["n"]).all()
    assert (lines["price_cents"] >= 1).all() and (lines["quantity"] >= 1).all()
    gap = (per_order["cents"] / 100 - orders["amount"].to_numpy()).abs()
    assert (gap <= 0.01 * per_order["items"] + 1e-9).all()
    first_category = demo_lines.catalogue()["product_category"].to_numpy()[per_order["first_product"]]
    assert (first_category == orders["product_category"].to_numpy()).all()


def test_line_totals_keep_the_personas(written: dict[str, Path]) -> None:
    """Per persona, the invoice totals and invoices per customer are those of the order-level shape."""
    with duckdb.connect() as connection:
        personas = written["orders"] / "ground_truth" / "customer_personas.csv"
        connection.execute(f"create view personas as select * from read_csv('{personas}', all_varchar = true)")
        _read_lines(connection, written["canonical"] / "raw_orders.csv", "canonical")
        from_lines = connection.sql(
            """
            with invoices as (
                select invoice, customer_id, sum(quantity * unit_price) as total
                from (select distinct * from lines)
                where invoice not like 'C%' and unit_price > 0
                group by invoice, customer_id
            )
            select persona, median(total), count(*) / count(distinct invoices.customer_id)
            from invoices join personas on personas.customer_id = invoices.customer_id::varchar
            group by persona order by persona
            """
        ).fetchall()
        from_orders = connection.sql(
            f"""
            with orders as (
                select distinct customer_id, ordered_at, cast(amount as decimal(18, 2)) as amount
                from read_csv('{written["orders"] / "raw_orders.csv"}', all_varchar = true)
            )
            select persona, median(amount), count(*) / count(distinct orders.customer_id)
            from orders join personas using (customer_id)
            where amount > 0
            group by persona order by persona
            """
        ).fetchall()
    assert [row[0] for row in from_lines] == sorted(p.name for p in generator.PERSONAS)
    for (persona, line_median, line_rate), (_, order_median, order_rate) in zip(from_lines, from_orders, strict=True):
        assert float(line_median) == pytest.approx(float(order_median), rel=0.01), persona
        assert line_rate == pytest.approx(order_rate, rel=0.02), persona


@pytest.mark.parametrize(
    ("name", "style", "decimal_comma"),
    [
        ("canonical", "canonical", False),
        ("online-retail", "online-retail", False),
        ("canonical-comma", "canonical", True),
        ("online-retail-comma", "online-retail", True),
    ],
)
def test_line_file_holds_what_the_generator_intended(
    written: dict[str, Path], name: str, style: str, decimal_comma: bool
) -> None:
    """Customers, invoices, net revenue and dirty counts recomputed from the text equal the generator's own."""
    with duckdb.connect() as connection:
        _read_lines(connection, written[name] / "raw_orders.csv", style, decimal_comma)
        assert _file_summary(connection) == _summary(written[name])["file"]


def test_dirty_lines_come_in_the_documented_shares(written: dict[str, Path]) -> None:
    shares = demo_lines.LINE_DIRTY_SHARES
    summary = _summary(written["canonical"])
    injected, in_file = summary["injected"], summary["file"]
    customer_lines = injected["customer_order_lines"] + injected["zero_price_lines"] + injected["cancellation_lines"]
    assert injected["zero_price_lines"] == round(shares["zero_price"] * injected["customer_order_lines"]) > 0
    assert injected["cancellation_invoices"] == round(shares["cancellation"] * injected["customer_orders"]) > 0
    assert injected["exact_duplicate_lines"] == round(shares["line_exact_duplicate"] * customer_lines) > 0
    assert 0 < injected["conflicting_orders"] <= round(shares["conflicting_order_id"] * injected["customer_orders"])
    assert injected["missing_values"] == pytest.approx(shares["line_missing_value"] * customer_lines, abs=2)
    assert injected["unknown_customer_invoices"] == round(0.005 * injected["customer_orders"]) > 0
    assert injected["guest_lines"] / in_file["lines"] == pytest.approx(0.005, abs=0.002)

    lines = pd.read_csv(written["canonical"] / "raw_orders.csv", dtype=str, keep_default_na=False)
    assert list(lines.columns) == CANONICAL_LINE_HEADER
    assert lines.duplicated().sum() == injected["exact_duplicate_lines"]
    cancelled = lines["order_id"].str.startswith("C")
    assert lines.loc[cancelled, "order_id"].str.fullmatch(r"C\d+").all()
    quantity = pd.to_numeric(lines["quantity"])
    assert (quantity[cancelled].dropna() < 0).all() and (quantity[~cancelled].dropna() > 0).all()
    assert (lines["unit_price"] == "0.00").sum() == in_file["zero_price_lines"] > 0
    assert lines["product_category"].str.fullmatch(r"[A-Z][a-z]+ ").sum() > 0
    for column in ("quantity", "unit_price", "ordered_at", "customer_id"):
        assert (lines[column] == "").sum() > 0, column
    known = set(pd.read_csv(written["canonical"] / "raw_customers.csv", dtype=str)["customer_id"])
    unknown = lines.loc[~lines["customer_id"].isin(known) & (lines["customer_id"] != ""), "order_id"]
    assert unknown.nunique() == injected["unknown_customer_invoices"]
    assert (lines.groupby("order_id")["line_number"].nunique() > 1).mean() > 0.6


def test_cancellations_return_what_the_customer_bought(written: dict[str, Path]) -> None:
    """Every C-invoice line matches an earlier paid line of that customer: product, price, enough quantity."""
    with duckdb.connect() as connection:
        _read_lines(connection, written["online-retail"] / "raw_orders.csv", "online-retail")
        returned, untraced = connection.sql(
            """
            with returned as (
                select * from lines
                where invoice like 'C%' and quantity is not null and unit_price is not null
                    and customer_id is not null and ordered_at is not null
            )
            select count(*), count(*) filter (where not exists (
                select 1 from lines as bought
                where bought.invoice not like 'C%' and bought.customer_id = returned.customer_id
                    and bought.product = returned.product and bought.unit_price = returned.unit_price
                    and bought.quantity >= -returned.quantity and bought.ordered_at <= returned.ordered_at
            ))
            from returned
            """
        ).fetchall()[0]
    assert returned > 50
    assert untraced == 0


def test_online_retail_style_is_written_like_the_uci_file(written: dict[str, Path]) -> None:
    folder = written["online-retail"]
    lines = pd.read_csv(folder / "raw_orders.csv", dtype=str, keep_default_na=False)
    assert list(lines.columns) == ONLINE_RETAIL_HEADER
    assert not (folder / "raw_customers.csv").exists()
    dates = lines["InvoiceDate"][lines["InvoiceDate"] != ""]
    assert dates.str.fullmatch(r"([1-9]|1[0-2])/([1-9]|[12]\d|3[01])/20\d\d ([0-9]|1\d|2[0-3]):[0-5]\d").all()
    assert dates.str.match(r"\d/").any() and dates.str.contains(r" \d:").any()  # no leading zeros
    customer = lines["CustomerID"]
    assert customer.str.fullmatch(r"|[1-9]\d*\.0").all()
    assert (customer == "").mean() == pytest.approx(0.25, abs=0.01)
    assert lines["InvoiceNo"].str.fullmatch(r"C?\d+").all()
    cancelled = lines["InvoiceNo"].str.startswith("C")
    quantity = pd.to_numeric(lines["Quantity"])
    assert cancelled.sum() > 0 and (quantity[cancelled].dropna() < 0).all()
    assert (quantity[~cancelled].dropna() > 0).all()
    price = lines["UnitPrice"][lines["UnitPrice"] != ""]
    assert price.str.fullmatch(r"\d+\.(0|\d?[1-9])").all()  # a float as pandas writes it: 2.1, 0.85, 0.0
    assert (price == "0.0").sum() == _summary(folder)["file"]["zero_price_lines"] > 0
    assert lines.duplicated().sum() > 0
    assert lines["StockCode"].str.fullmatch(r"\d{5}A?").all() and lines["StockCode"].str.endswith("A").any()
    assert (lines["Country"] == "United Kingdom").mean() > 0.8


def test_both_styles_hold_the_same_customer_purchases(written: dict[str, Path]) -> None:
    """Only guests and unknown customers differ between the styles; every customer's buying is the same."""
    per_customer = {}
    for style in ("canonical", "online-retail"):
        with duckdb.connect() as connection:
            _read_lines(connection, written[style] / "raw_orders.csv", style)
            per_customer[style] = connection.sql(
                f"""
                select customer_id, sum(quantity * unit_price), count(distinct invoice),
                    max(strftime(ordered_at, '%Y-%m-%d %H:%M'))
                from lines where customer_id <= {LINE_CUSTOMERS}
                group by customer_id order by customer_id
                """
            ).fetchall()
    assert len(per_customer["canonical"]) == LINE_CUSTOMERS
    assert per_customer["canonical"] == per_customer["online-retail"]


CANONICAL_TIMESTAMP = {"ordered_at": "%Y-%m-%d %H:%M:%S"}
US_TIMESTAMP = {"InvoiceDate": "%m/%d/%Y %H:%M"}


@pytest.mark.parametrize(
    ("plain", "comma", "file", "decimals", "timestamps", "dates"),
    [
        ("canonical", "canonical-comma", "raw_orders.csv", ["unit_price"], CANONICAL_TIMESTAMP, {}),
        ("online-retail", "online-retail-comma", "raw_orders.csv", ["UnitPrice", "CustomerID"], US_TIMESTAMP, {}),
        ("orders", "orders-comma", "raw_orders.csv", ["amount"], CANONICAL_TIMESTAMP, {}),
        ("orders", "orders-comma", "raw_customers.csv", ["annual_income"], {}, {"signup_date": "%Y-%m-%d"}),
    ],
)
def test_decimal_comma_writes_the_same_values_the_european_way(
    written: dict[str, Path],
    plain: str,
    comma: str,
    file: str,
    decimals: list[str],
    timestamps: dict[str, str],
    dates: dict[str, str],
) -> None:
    """`;` between fields, `12,50`, `01.12.2010 08:26`: otherwise the very same rows."""
    expected = pd.read_csv(written[plain] / file, dtype=str, keep_default_na=False)
    header = (written[comma] / file).read_text().split("\n", 1)[0]
    assert header == ";".join(expected.columns)
    actual = pd.read_csv(written[comma] / file, sep=";", dtype=str, keep_default_na=False)
    for column in decimals:
        expected[column] = expected[column].str.replace(".", ",", regex=False)
        assert actual[column].str.contains(",").any() and not actual[column].str.contains(r"\.").any()
    for formats, european in ((timestamps, EUROPEAN_TIMESTAMP), (dates, "%d.%m.%Y")):
        for column, written_format in formats.items():
            expected[column] = [
                datetime.strptime(value, written_format).strftime(european) if value else ""
                for value in expected[column]
            ]
    pd.testing.assert_frame_equal(actual, expected)


def test_line_files_are_deterministic_and_chunked_into_one_numbering(tmp_path: Path) -> None:
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        generator.generate(
            tmp_path / name, 250, "csv", seed, chunk_size=100, order_shape="lines", style="online-retail"
        )
    assert filecmp.cmp(tmp_path / "a" / "raw_orders.csv", tmp_path / "b" / "raw_orders.csv", shallow=False)
    assert not filecmp.cmp(tmp_path / "a" / "raw_orders.csv", tmp_path / "c" / "raw_orders.csv", shallow=False)

    generator.generate(tmp_path / "p", 250, "parquet", 5, chunk_size=100, order_shape="lines")
    generator.generate(tmp_path / "o", 250, "parquet", 5, chunk_size=100)
    summary = _summary(tmp_path / "p")["file"]
    with duckdb.connect() as connection:
        parquet = f"'{tmp_path}/p/raw_orders.parquet'"
        numbers = connection.sql(
            f"select count(distinct order_id), min(ltrim(order_id, 'C')::int), max(ltrim(order_id, 'C')::int) "
            f"from {parquet}"
        ).fetchall()[0]
        types = connection.sql(f"describe select * from {parquet}").df()
        customers = [
            connection.sql(f"select * from '{tmp_path}/{name}/raw_customers.parquet'").fetchall() for name in "po"
        ]
    invoices = summary["sales_invoices"] + summary["cancellation_invoices"]
    assert numbers == (invoices, 1, invoices)  # one sequence across the three chunks, C-invoices included
    assert list(types["column_name"]) == CANONICAL_LINE_HEADER and set(types["column_type"]) == {"VARCHAR"}
    assert customers[0] == customers[1]  # the lines shape writes the same customers as the order shape


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--style", "online-retail"], "--style online-retail writes invoice lines: add --order-shape lines"),
        (["--decimal-comma", "--format", "parquet"], "--decimal-comma is a CSV format: use it with --format csv"),
        (["--customers", "0"], "--customers must be at least 1"),
    ],
)
def test_bad_flags_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        generator.main([*arguments, "--out", str(tmp_path)])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.strip().endswith(f"error: {message}")
    assert not any(tmp_path.iterdir())


def test_orders_per_customer_sets_the_mean_and_keeps_the_personas_apart() -> None:
    """The benchmark's sizes are stated as customers / orders: the rate scale must hit the mean it is given."""
    customers = generator.generate_customers(np.random.default_rng(5), 1, 20_000)
    orders = generator.generate_orders(np.random.default_rng(6), customers, orders_per_customer=10)
    per_customer = orders.groupby("customer_id").size()
    assert per_customer.mean() == pytest.approx(10, rel=0.02)
    assert per_customer.min() >= 1
    persona = customers.set_index("customer_id")["persona_idx"]
    by_persona = per_customer.groupby(persona.loc[per_customer.index].to_numpy()).mean()
    assert by_persona.max() > 2 * by_persona.min()
    with pytest.raises(ValueError, match="at least 1"):
        generator.generate(Path("unused"), 10, "parquet", 1, orders_per_customer=0.5)

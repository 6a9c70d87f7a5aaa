"""inputs: every way a user's customers/orders can be unusable ends in one clear InputError; good inputs are read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from customer_segmentation.inputs import (
    CUSTOMER_COLUMNS,
    ORDER_COLUMNS,
    InputError,
    InputSettings,
    Source,
    load_customers,
    load_orders,
    parse_source,
    read_input,
)
from tests.conftest import SHARED_MALL_CSV

CUSTOMER_NAMES = [spec.name for spec in CUSTOMER_COLUMNS]
ORDER_NAMES = [spec.name for spec in ORDER_COLUMNS]
ORDERS_CSV = "customer_id,ordered_at,amount\n1,2024-01-01,10\n2,2024-01-02,20\n"


@pytest.fixture
def connection() -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh in-memory DuckDB connection."""
    con = duckdb.connect()
    yield con
    con.close()


def write(path: Path, content: str | bytes) -> Path:
    """Write text or bytes to path and return it."""
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def read(
    connection: duckdb.DuckDBPyConnection,
    value: str,
    entity: str = "customers",
    mapping: dict[str, str] | None = None,
) -> list[dict[str, object]]:
    """Read an input var value as canonical rows (dicts), in input order."""
    var = f"{entity}_path"
    relation = read_input(connection, parse_source(var, value), entity, mapping or {})
    return [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]


def input_error(connection: duckdb.DuckDBPyConnection, value: str, entity: str = "customers") -> str:
    """The InputError message reading this input gives."""
    with pytest.raises(InputError) as info:
        read(connection, value, entity)
    return str(info.value)


# --- paths that do not lead to data -------------------------------------------------------------


def test_missing_file_names_var_and_path(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """A path that does not exist is reported with the var and the path."""
    path = tmp_path / "nope.csv"
    message = input_error(connection, str(path))
    assert message == f"customers_path: file {str(path)!r} does not exist"


def test_empty_file(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """A 0-byte file says it is empty and what was expected."""
    path = write(tmp_path / "customers.csv", b"")
    message = input_error(connection, str(path))
    assert message.startswith(f"customers_path: file {str(path)!r} is empty")
    assert "expected a header row and data rows" in message


@pytest.mark.parametrize("content", ["customer_id,age\n", "customer_id,age", "customer_id,age\r\n"])
def test_header_only_file(connection: duckdb.DuckDBPyConnection, tmp_path: Path, content: str) -> None:
    """A header without rows is an error, with or without a final newline."""
    path = write(tmp_path / "customers.csv", content)
    assert input_error(connection, str(path)) == f"customers_path ({path}): has a header but no data rows"


def test_header_only_parquet(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """A Parquet file with columns but no rows is an error too."""
    path = tmp_path / "customers.parquet"
    pq.write_table(pa.table({"customer_id": pa.array([], pa.string())}), path)
    assert input_error(connection, str(path)) == f"customers_path ({path}): has a header but no data rows"


def test_glob_matching_nothing(tmp_path: Path) -> None:
    """A glob with no match names the var and the glob."""
    pattern = str(tmp_path / "orders_*.csv")
    with pytest.raises(InputError) as info:
        parse_source("orders_path", pattern)
    assert str(info.value) == f"orders_path: no file matches the glob {pattern!r}"


def test_unknown_extension(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """An .xlsx file cannot be read: the message lists the formats that can."""
    path = write(tmp_path / "customers.xlsx", b"PK\x03\x04")
    message = input_error(connection, str(path))
    assert message.startswith(f"customers_path: cannot tell the format of {str(path)!r}")
    assert ".csv" in message
    assert ".parquet" in message
    assert "file.duckdb:table" in message


@pytest.mark.parametrize("name", ["customers.xlsx", "customers.json", "other.duckdb"])
def test_bare_file_name_is_not_taken_for_schema_table(
    connection: duckdb.DuckDBPyConnection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """'customers.xlsx' also looks like schema.table; it is still reported as an unknown format."""
    monkeypatch.chdir(tmp_path)
    assert input_error(connection, name).startswith(f"customers_path: cannot tell the format of {name!r}")


def test_existing_file_with_table_like_name_is_not_a_table(
    connection: duckdb.DuckDBPyConnection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file in the working directory named like schema.table is not looked up as a table."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "customers.dat", "customer_id\n1\n")
    assert input_error(connection, "customers.dat").startswith("customers_path: cannot tell the format")


@pytest.mark.parametrize("value", ["", "   ", None, 3])
def test_blank_or_non_text_path(value: object) -> None:
    """A path var that is not text names the var and the value."""
    with pytest.raises(InputError, match=r"^orders_path: expected a file path, glob or table name"):
        parse_source("orders_path", value)


# --- malformed CSV ------------------------------------------------------------------------------


def test_ragged_row_names_line(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """A row with an extra field names its line and the expected field count."""
    path = write(tmp_path / "customers.csv", "customer_id,age\n1,20\n2,30,extra\n3,40\n")
    assert input_error(connection, str(path)) == (
        f"customers_path: file {str(path)!r} line 3: expected 2 fields separated by ',' like the header, found 3"
    )


def test_short_row_names_line(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """A row with a missing field is reported like an extra one."""
    path = write(tmp_path / "customers.csv", "customer_id,age,gender\n1,20,M\n2,30,F\n3,40\n")
    message = input_error(connection, str(path))
    assert "line 4: expected 3 fields" in message
    assert message.endswith("found 2")


def test_unterminated_quote_names_line_where_it_opens(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """An unclosed quote on line 3 is reported at line 3, not at the end of the file."""
    rows = "".join(f"{i},{i}\n" for i in range(4, 30))
    path = write(tmp_path / "customers.csv", f'customer_id,age\n1,20\n"2,30\n{rows}')
    message = input_error(connection, str(path))
    assert message.startswith(f"customers_path: file {str(path)!r} line 3: malformed CSV")
    assert "check the quoting" in message


def test_broken_quote_names_line(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """Text after a closing quote is malformed; the line is named."""
    path = write(tmp_path / "customers.csv", 'customer_id,age\n1,20\n2,30\n"4"x,50\n5,60\n')
    message = input_error(connection, str(path))
    assert message.startswith(f"customers_path: file {str(path)!r} line 4: malformed CSV")


def test_ragged_row_after_quoted_newline_names_record_start(
    connection: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """A quoted newline makes a record span lines; line numbers stay those of the file."""
    path = write(tmp_path / "customers.csv", 'customer_id,region\n1,"North\nWest"\n2,South,x\n')
    assert "line 4: expected 2 fields" in input_error(connection, str(path))


def test_mostly_ragged_rows_do_not_move_the_header(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """When most rows have an extra field, the first line stays the header and line 3 is named."""
    path = write(tmp_path / "customers.csv", "customer_id,age\n1,20\n2,30,x\n3,40,y\n4,50,z\n")
    assert "line 3: expected 2 fields" in input_error(connection, str(path))


def test_title_line_above_header_is_reported(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """The first line is the header: a title line above it is reported, not silently skipped."""
    path = write(tmp_path / "customers.csv", "Customer export\ncustomer_id,age\n1,20\n")
    assert "line 2: expected 1 fields separated by ',' like the header, found 2" in input_error(connection, str(path))


def test_semicolon_delimited_is_read(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """A ';' file (European Excel) is read, not rejected."""
    path = write(tmp_path / "customers.csv", "Customer ID;Age;Annual Income (k$)\n1;20;15\n2;30;16\n")
    rows = read(connection, str(path))
    assert [(r["customer_id"], r["age"], r["annual_income"]) for r in rows] == [("1", "20", "15"), ("2", "30", "16")]


def test_tab_delimited_is_read(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """A tab-separated .tsv file is read."""
    path = write(tmp_path / "orders.tsv", "CustomerID\tOrderDate\tTotal\n7\t2024-03-01\t12.50\n")
    rows = read(connection, str(path), "orders")
    assert [(r["customer_id"], r["ordered_at"], r["amount"]) for r in rows] == [("7", "2024-03-01", "12.50")]


def test_non_utf8_byte_names_line_and_byte(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """A Latin-1 byte on line 3 is reported with the byte and the line."""
    path = write(tmp_path / "customers.csv", b"customer_id,region\n1,North\n2,Sa\xffo Paulo\n3,South\n")
    assert input_error(connection, str(path)) == (
        f"customers_path: file {str(path)!r} is not UTF-8: byte 0xff on line 3; save it as UTF-8"
    )


def test_problem_in_second_file_of_glob_names_that_file(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """With a glob, the message names the file that is malformed, not the glob."""
    write(tmp_path / "orders_1.csv", ORDERS_CSV)
    bad = write(tmp_path / "orders_2.csv", "customer_id,ordered_at,amount\n3,2024-01-03\n")
    message = input_error(connection, str(tmp_path / "orders_*.csv"), "orders")
    assert message.startswith(f"orders_path: file {str(bad)!r} line 2: expected 3 fields")


# --- columns ------------------------------------------------------------------------------------


def test_customers_without_id(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """A customers file without an id column lists its columns and names the mapping var."""
    path = write(tmp_path / "customers.csv", "Name,Age\nAnn,30\n")
    assert input_error(connection, str(path)) == (
        f"customers_path ({path}): required column(s) ['customer_id'] not found; "
        "its columns are ['Name', 'Age']. Map them with the customers_columns var"
    )


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("customer_id,ordered_at\n1,2024-01-01\n", ["amount"]),
        ("customer_id,amount\n1,10\n", ["ordered_at"]),
        ("customer_id\n1\n", ["ordered_at", "amount"]),
    ],
)
def test_orders_without_required_column(
    connection: duckdb.DuckDBPyConnection, tmp_path: Path, header: str, missing: list[str]
) -> None:
    """An orders file missing amount or ordered_at names them and the file's columns."""
    path = write(tmp_path / "orders.csv", header)
    message = input_error(connection, str(path), "orders")
    columns = header.split("\n", 1)[0].split(",")
    assert message.startswith(f"orders_path ({path}): required column(s) {missing} not found")
    assert f"its columns are {columns}" in message
    assert "orders_columns" in message


def test_unknown_mapping_key() -> None:
    """A mapping key that is no canonical column names the var and the known columns."""
    with pytest.raises(InputError) as info:
        InputSettings.from_meta({"customers_columns": {"foo": "x"}})
    message = str(info.value)
    assert message.startswith("customers_columns: unknown column 'foo'; expected one of ")
    assert str(CUSTOMER_NAMES) in message


def test_mapping_to_absent_column(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """A mapping to a header the file lacks names the mapped column and the file's columns."""
    path = write(tmp_path / "customers.csv", "Cust No,Age\n1,20\n")
    source = parse_source("customers_path", str(path))
    with pytest.raises(InputError) as info:
        read_input(connection, source, "customers", {"customer_id": "Customer Number"})
    assert str(info.value) == (
        f"customers_path ({path}): mapped column 'Customer Number' (for customer_id) is not in the input; "
        "its columns are ['Cust No', 'Age']"
    )


def test_mapping_value_must_be_a_header_name() -> None:
    """A mapping to an empty or non-text column is rejected, naming the var and key."""
    with pytest.raises(InputError, match=r"^orders_columns: the column for 'amount' must be a non-empty header name"):
        InputSettings.from_meta({"orders_columns": {"amount": ""}})


def test_two_columns_for_one_canonical_column(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """'income' and 'Annual Income' both look like annual_income: ambiguity, resolved by a mapping."""
    path = write(tmp_path / "customers.csv", "customer_id,income,Annual Income\n1,10,20\n")
    assert input_error(connection, str(path)) == (
        f"customers_path ({path}): columns ['Annual Income', 'income'] could all be annual_income; "
        "choose one with the column mapping var"
    )
    rows = read(connection, str(path), mapping={"annual_income": "income"})
    assert rows[0]["annual_income"] == "10"
    assert rows[0]["input_columns"] == ["customer_id", "annual_income"]


def test_mapping_renames_unrecognised_headers(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """A header no alias knows is read through the mapping."""
    path = write(tmp_path / "customers.csv", "Cust No,Yearly Pay\n0042,55\n")
    rows = read(connection, str(path), mapping={"customer_id": "Cust No", "annual_income": "Yearly Pay"})
    assert (rows[0]["customer_id"], rows[0]["annual_income"]) == ("0042", "55")


def test_known_customer_spellings_without_mapping(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """Common customer headers are recognised; absent columns are null; input_columns lists present ones."""
    path = write(
        tmp_path / "customers.csv",
        "Customer ID,Genre,Age,Annual Income (k$),Spending Score (1-100)\n0001,Female,31,17,40\n",
    )
    [row] = read(connection, str(path))
    assert list(row) == [*CUSTOMER_NAMES, "input_columns"]
    assert row == {
        "customer_id": "0001",
        "gender": "Female",
        "age": "31",
        "annual_income": "17",
        "spending_score": "40",
        "credit_score": None,
        "card_type": None,
        "region": None,
        "signup_date": None,
        "input_columns": ["customer_id", "gender", "age", "annual_income", "spending_score"],
    }


@pytest.mark.parametrize(("id_header", "gender_header"), [("CustomerID", "Gender"), ("customer_id", "gender")])
def test_other_customer_spellings(
    connection: duckdb.DuckDBPyConnection, tmp_path: Path, id_header: str, gender_header: str
) -> None:
    """CustomerID/customer_id and Gender/gender need no mapping."""
    path = write(tmp_path / "customers.csv", f"{id_header},{gender_header}\nc1,Male\n")
    [row] = read(connection, str(path))
    assert (row["customer_id"], row["gender"]) == ("c1", "Male")
    assert row["input_columns"] == ["customer_id", "gender"]


@pytest.mark.parametrize("date_header", ["OrderDate", "InvoiceDate"])
def test_known_order_spellings_without_mapping(
    connection: duckdb.DuckDBPyConnection, tmp_path: Path, date_header: str
) -> None:
    """InvoiceNo, CustomerID, OrderDate/InvoiceDate and Total map to the canonical order columns."""
    path = write(tmp_path / "orders.csv", f"InvoiceNo,CustomerID,{date_header},Total\nA-1,17,2024-05-01,99.90\n")
    [row] = read(connection, str(path), "orders")
    assert row == {
        "order_id": "A-1",
        "customer_id": "17",
        "ordered_at": "2024-05-01",
        "amount": "99.90",
        "product_category": None,
        "is_discounted": None,
        "input_columns": ["order_id", "customer_id", "ordered_at", "amount"],
    }


# --- the Mall Customers file --------------------------------------------------------------------


def mall_bytes() -> bytes:
    """The shared Mall Customers CSV, or skip when it is not there."""
    if not SHARED_MALL_CSV.is_file():
        pytest.skip(f"{SHARED_MALL_CSV} is not present")
    return SHARED_MALL_CSV.read_bytes()


def test_mall_customers_as_is(connection: duckdb.DuckDBPyConnection) -> None:
    """The Kaggle file (CRLF line endings) is read with no mapping: 200 rows, all five columns."""
    assert b"\r\n" in mall_bytes()
    rows = read(connection, str(SHARED_MALL_CSV))
    assert len(rows) == 200
    assert rows[0]["input_columns"] == ["customer_id", "gender", "age", "annual_income", "spending_score"]
    assert (rows[0]["customer_id"], rows[0]["gender"], rows[0]["age"]) == ("1", "Male", "19")
    assert (rows[0]["annual_income"], rows[0]["spending_score"]) == ("15", "39")
    assert all(not str(value).endswith("\r") for row in rows for value in row.values())


def test_mall_customers_older_variant(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """Header 'Genre', ids zero-padded to 4 digits, no final newline: 200 rows, ids stay text."""
    header, *lines = [line for line in mall_bytes().split(b"\r\n") if line]
    padded = [b"%04d" % int(line.split(b",", 1)[0]) + line[line.index(b",") :] for line in lines]
    content = b"\r\n".join([header.replace(b"Gender", b"Genre"), *padded])
    assert not content.endswith(b"\n")
    path = write(tmp_path / "Mall_Customers.csv", content)
    rows = read(connection, str(path))
    assert len(rows) == 200
    assert [row["customer_id"] for row in rows[:2]] == ["0001", "0002"]
    assert rows[-1]["customer_id"] == "0200"
    assert rows[0]["gender"] == "Male"
    assert rows[-1]["spending_score"] == lines[-1].rsplit(b",", 1)[1].decode()
    assert rows[0]["input_columns"] == ["customer_id", "gender", "age", "annual_income", "spending_score"]


# --- other formats and sources ------------------------------------------------------------------


def test_parquet(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """A Parquet file is read; typed columns arrive as text."""
    path = tmp_path / "customers.parquet"
    pq.write_table(pa.table({"CustomerID": [1, 2], "Age": [30, 41]}), path)
    rows = read(connection, str(path))
    assert [(r["customer_id"], r["age"]) for r in rows] == [("1", "30"), ("2", "41")]
    assert parse_source("customers_path", str(path)).kind == "parquet"


def test_not_a_parquet_file(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """A .parquet file that holds CSV text is reported as unreadable Parquet."""
    path = write(tmp_path / "customers.parquet", "customer_id\n1\n")
    assert input_error(connection, str(path)).startswith(f"customers_path ({path}): not a readable Parquet file")


def test_glob_of_two_csv_files(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """A glob reads the rows of every matching file."""
    write(tmp_path / "orders_2024.csv", ORDERS_CSV)
    write(tmp_path / "orders_2025.csv", "customer_id,ordered_at,amount\n3,2025-01-03,30\n")
    rows = read(connection, str(tmp_path / "orders_*.csv"), "orders")
    assert sorted((r["customer_id"], r["amount"]) for r in rows) == [("1", "10"), ("2", "20"), ("3", "30")]


def test_table_in_the_connection(connection: duckdb.DuckDBPyConnection) -> None:
    """A bare name is a table of the project database."""
    connection.execute(
        "create table shop_orders as select 5 as CustomerID, date '2024-02-01' as OrderDate, 9.5 as Total"
    )
    source = parse_source("orders_path", "shop_orders")
    assert source == Source("orders_path", "table", "shop_orders", "shop_orders")
    [row] = read(connection, "shop_orders", "orders")
    assert (row["customer_id"], row["ordered_at"], row["amount"]) == ("5", "2024-02-01", "9.5")


def test_missing_table(connection: duckdb.DuckDBPyConnection) -> None:
    """A table that does not exist is an InputError naming the var and the table."""
    assert input_error(connection, "no_such_table").startswith("customers_path (no_such_table): no such table")


def test_table_in_other_duckdb_file(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """'other.duckdb:table' reads a table from another database file."""
    database = tmp_path / "other.duckdb"
    with duckdb.connect(str(database)) as other:
        other.execute("create table people as select 'a1' as CustomerID, 'F' as Genre")
    source = parse_source("customers_path", f"{database}:people")
    assert source == Source("customers_path", "duckdb_file", str(database), "people")
    [row] = read_input(connection, source, "customers", {}).fetchall()
    assert row[:2] == ("a1", "F")


def test_missing_duckdb_file_or_table(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """A missing database file or a missing table in it is an InputError."""
    database = tmp_path / "other.duckdb"
    with pytest.raises(InputError, match=r"^customers_path: DuckDB file .* does not exist$"):
        parse_source("customers_path", f"{database}:people")
    duckdb.connect(str(database)).close()
    message = input_error(connection, f"{database}:people")
    assert message.startswith(f"customers_path ({database}:people): no such table")


# --- injection ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("x; drop table customers", "cannot tell the format"),
        ("customers; drop table customers", "cannot tell the format"),
        ("customers.csv; drop table customers", "cannot tell the format"),
        ("customers.csv'; drop table customers; --", "cannot tell the format"),
        ("DROP TABLE customers", "cannot tell the format"),
    ],
)
def test_injection_in_path_never_executes(connection: duckdb.DuckDBPyConnection, value: str, expected: str) -> None:
    """SQL in a path var is rejected and nothing runs: the customers table is still there."""
    connection.execute("create table customers as select '1' as customer_id")
    assert expected in input_error(connection, value)
    assert connection.execute("select count(*) from customers").fetchone() == (1,)


def test_injection_in_duckdb_file_table_never_executes(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """'file.duckdb:t; drop ...' is not a valid table name; the other file's table survives."""
    database = tmp_path / "other.duckdb"
    with duckdb.connect(str(database)) as other:
        other.execute("create table t as select 1 as customer_id")
    connection.execute("create table customers as select '1' as customer_id")
    value = f"{database}:t; drop table customers"
    assert input_error(connection, value) == (
        "customers_path: 't; drop table customers' is not a valid table name (letters, digits, _ and dots)"
    )
    assert connection.execute("select count(*) from customers").fetchone() == (1,)
    with duckdb.connect(str(database), read_only=True) as other:
        assert other.execute("select count(*) from t").fetchone() == (1,)


def test_path_with_quote_is_not_spliced(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """A real file whose name holds a quote and SQL is read as a file, not run as SQL."""
    connection.execute("create table customers as select '1' as customer_id")
    path = write(tmp_path / "it's'); drop table customers; --.csv", "customer_id\n9\n")
    assert read(connection, str(path))[0]["customer_id"] == "9"
    assert connection.execute("select count(*) from customers").fetchone() == (1,)


def test_header_with_quote_is_quoted(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """A header holding a double quote is used as an identifier, not spliced as SQL."""
    path = write(tmp_path / "customers.csv", 'id,"a""b"\n1,x\n')
    rows = read(connection, str(path), mapping={"region": 'a"b'})
    assert (rows[0]["customer_id"], rows[0]["region"]) == ("1", "x")


# --- settings from dbt meta ---------------------------------------------------------------------


@pytest.mark.parametrize("meta", [{}, {"customers_path": "", "orders_path": "None"}, {"customers_path": None}])
def test_from_meta_without_paths_is_demo(meta: dict[str, object]) -> None:
    """With neither path set, the demo seeds are used."""
    settings = InputSettings.from_meta(meta)
    assert settings.is_demo
    assert settings.customers_columns == {}
    assert settings.orders_columns == {}


def test_from_meta_parses_rendered_mapping(tmp_path: Path) -> None:
    """dbt renders a mapping as its Python repr; it is parsed back, and '' / 'None' mean no mapping."""
    path = write(tmp_path / "customers.csv", "Cust No\n1\n")
    settings = InputSettings.from_meta(
        {
            "customers_path": str(path),
            "orders_path": "None",
            "customers_columns": "{'customer_id': 'Cust No'}",
            "orders_columns": "",
        }
    )
    assert not settings.is_demo
    assert settings.customers == Source("customers_path", "csv", str(path))
    assert settings.orders is None
    assert settings.customers_columns == {"customer_id": "Cust No"}
    assert settings.orders_columns == {}
    assert InputSettings.from_meta({"orders_columns": "None"}).orders_columns == {}


@pytest.mark.parametrize("text", ["customer_id=Cust No", "['customer_id']", "{'customer_id': 3}"])
def test_from_meta_mapping_that_is_not_a_mapping(text: str) -> None:
    """A mapping var whose text is not a name->header mapping names customers_columns."""
    with pytest.raises(InputError, match=r"^customers_columns: "):
        InputSettings.from_meta({"customers_columns": text})


def test_from_meta_checks_paths(tmp_path: Path) -> None:
    """A path var is checked when the settings are read, naming the var."""
    with pytest.raises(InputError, match=r"^orders_path: file .* does not exist$"):
        InputSettings.from_meta({"orders_path": str(tmp_path / "orders.csv")})


# --- loading with one input missing -------------------------------------------------------------


def test_load_customers_from_orders_only(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """With only orders, customers are the distinct trimmed ids of the orders (no blanks)."""
    path = write(
        tmp_path / "orders.csv",
        "customer_id,ordered_at,amount\n 1 ,2024-01-01,5\n1,2024-01-02,6\n2,2024-01-03,7\n  ,2024-01-04,8\n"
        ",2024-01-05,9\n",
    )
    settings = InputSettings.from_meta({"orders_path": str(path)})
    demo = connection.sql("select 1")
    raw_orders = load_orders(connection, settings, demo)
    customers = load_customers(connection, settings, demo, raw_orders)
    assert customers.columns == [*CUSTOMER_NAMES, "input_columns"]
    rows = sorted(customers.fetchall())
    assert [row[0] for row in rows] == ["1", "2"]
    assert all(row[1:-1] == (None,) * (len(CUSTOMER_NAMES) - 1) for row in rows)
    assert all(row[-1] == ["customer_id"] for row in rows)


def test_load_orders_from_customers_only(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """With only customers, orders have every canonical column and no rows."""
    path = write(tmp_path / "customers.csv", "customer_id\n1\n")
    settings = InputSettings.from_meta({"customers_path": str(path)})
    demo = connection.sql("select 1")
    orders = load_orders(connection, settings, demo)
    assert orders.columns == [*ORDER_NAMES, "input_columns"]
    assert orders.fetchall() == []
    customers = load_customers(connection, settings, demo, orders)
    assert customers.fetchall()[0][0] == "1"


def test_load_demo(connection: duckdb.DuckDBPyConnection) -> None:
    """With no paths, the demo relations are canonicalised."""
    settings = InputSettings.from_meta({})
    demo_customers = connection.sql("select 'c1' as customer_id, 30 as age")
    demo_orders = connection.sql(
        "select 'o1' as order_id, 'c1' as customer_id, '2024-01-01' as ordered_at, 3 as amount"
    )
    orders = load_orders(connection, settings, demo_orders)
    customers = load_customers(connection, settings, demo_customers, orders)
    assert orders.fetchall() == [
        ("o1", "c1", "2024-01-01", "3", None, None, ["order_id", "customer_id", "ordered_at", "amount"])
    ]
    assert customers.fetchall()[0][:3] == ("c1", None, "30")

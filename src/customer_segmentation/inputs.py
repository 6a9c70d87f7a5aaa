"""Read the user's customers and orders (CSV, Parquet, a glob, or a DuckDB table) into canonical text columns.

Everything a user can point the project at goes through here, so that every way an input
can be unusable ends in one clear `InputError` naming the var, the file, the column and
what was expected, before any table is written. Values stay text: typing and row-level
checks happen in the SQL staging models, where a bad value becomes a quarantine row.

No string from a var is spliced into SQL unchecked: paths go through DuckDB's Python
readers, identifiers are validated and quoted.
"""

from __future__ import annotations

import ast
import codecs
import csv
import glob
import gzip
import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb


class InputError(ValueError):
    """An input cannot be used; the message says which var, file and column, and what was expected."""


@dataclass(frozen=True)
class ColumnSpec:
    """A canonical input column and the header spellings recognised for it without any mapping."""

    name: str
    aliases: tuple[str, ...]
    required: bool = False


CUSTOMER_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("customer_id", ("customerid", "custid", "clientid", "customerno", "customernumber", "id"), True),
    ColumnSpec("gender", ("gender", "genre", "sex")),
    ColumnSpec("age", ("age", "ageyears")),
    ColumnSpec("annual_income", ("annualincome", "annualincomek", "annualincomekusd", "income", "incomek")),
    ColumnSpec("spending_score", ("spendingscore", "spendingscore1100", "spendscore")),
    ColumnSpec("credit_score", ("creditscore", "fico", "ficoscore")),
    ColumnSpec("card_type", ("cardtype", "card", "cardbrand", "paymentcard")),
    ColumnSpec("region", ("region", "city", "state", "area")),
    ColumnSpec(
        "signup_date", ("signupdate", "signedup", "signedupat", "joindate", "joinedat", "createdat", "customersince")
    ),
)

ORDER_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("order_id", ("orderid", "invoiceno", "invoice", "invoiceid", "transactionid", "orderno")),
    ColumnSpec("customer_id", ("customerid", "custid", "clientid", "customerno", "customernumber"), True),
    ColumnSpec(
        "ordered_at",
        (
            "orderedat",
            "orderdate",
            "ordertimestamp",
            "orderdatetime",
            "date",
            "datetime",
            "timestamp",
            "invoicedate",
            "transactiondate",
            "purchasedate",
            "purchasedat",
        ),
        True,
    ),
    ColumnSpec(
        "amount", ("amount", "orderamount", "total", "ordertotal", "revenue", "sales", "value", "totalamount"), True
    ),
    ColumnSpec("product_category", ("productcategory", "category", "productline")),
    ColumnSpec("is_discounted", ("isdiscounted", "discounted", "discountapplied", "hasdiscount")),
)

ENTITY_COLUMNS = {"customers": CUSTOMER_COLUMNS, "orders": ORDER_COLUMNS}

_IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"
_TABLE_NAME = re.compile(rf"^{_IDENTIFIER}(\.{_IDENTIFIER}){{0,2}}$")
_CSV_SUFFIXES = (".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz")
_PARQUET_SUFFIXES = (".parquet", ".pq")
# Data files this project cannot read, named so that "customers.xlsx" is not taken for schema.table.
_OTHER_FILE_SUFFIXES = (".xlsx", ".xls", ".ods", ".json", ".jsonl", ".ndjson", ".xml", ".zip", ".gz", ".duckdb")


@dataclass(frozen=True)
class Source:
    """Where one input comes from. kind: csv, parquet, table (in the project database) or duckdb_file."""

    var_name: str
    kind: str
    location: str  # file path, glob, or database file
    table: str | None = None

    @property
    def label(self) -> str:
        """How error messages name the input."""
        where = f"{self.location}:{self.table}" if self.kind == "duckdb_file" else (self.table or self.location)
        return f"{self.var_name} ({where})"


def normalize_header(name: str) -> str:
    """'Annual Income (k$)' -> 'annualincomek': case, spaces and punctuation never matter."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def quote_identifier(name: str) -> str:
    """A column or table name as a SQL identifier, whatever characters it holds."""
    return '"' + name.replace('"', '""') + '"'


def parse_source(var_name: str, value: Any) -> Source:
    """Turn a path var into a Source, checking it exists; the value never reaches SQL unchecked."""
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{var_name}: expected a file path, glob or table name, got {value!r}")
    text = value.strip()
    if ".duckdb:" in text:
        database, table = text.rsplit(":", 1)
        if not _TABLE_NAME.match(table):
            raise InputError(f"{var_name}: {table!r} is not a valid table name (letters, digits, _ and dots)")
        if not Path(database).is_file():
            raise InputError(f"{var_name}: DuckDB file {database!r} does not exist")
        return Source(var_name, "duckdb_file", database, table)
    lowered = text.lower()
    is_csv = lowered.endswith(_CSV_SUFFIXES)
    is_parquet = lowered.endswith(_PARQUET_SUFFIXES)
    if not (is_csv or is_parquet):
        # "customers.xlsx" matches schema.table too: a file name is never taken for a table.
        if _TABLE_NAME.match(text) and not lowered.endswith(_OTHER_FILE_SUFFIXES) and not Path(text).is_file():
            return Source(var_name, "table", text, text)
        raise InputError(
            f"{var_name}: cannot tell the format of {text!r}; expected a path ending in "
            f"{', '.join(_CSV_SUFFIXES + _PARQUET_SUFFIXES)}, a glob of such files, "
            "a table name, or file.duckdb:table"
        )
    kind = "csv" if is_csv else "parquet"
    if glob.has_magic(text):
        if not glob.glob(text):
            raise InputError(f"{var_name}: no file matches the glob {text!r}")
    elif not Path(text).is_file():
        raise InputError(f"{var_name}: file {text!r} does not exist")
    return Source(var_name, kind, text)


def parse_column_map(var_name: str, value: Any, entity: str) -> dict[str, str]:
    """Validate a user's column mapping: keys must be canonical column names."""
    if value is None or value == "" or value == {}:
        return {}
    if not isinstance(value, Mapping):
        raise InputError(f"{var_name}: expected a mapping like {{customer_id: 'Cust No'}}, got {value!r}")
    known = [spec.name for spec in ENTITY_COLUMNS[entity]]
    mapping: dict[str, str] = {}
    for key, column in value.items():
        if key not in known:
            raise InputError(f"{var_name}: unknown column {key!r}; expected one of {known}")
        if not isinstance(column, str) or not column:
            raise InputError(f"{var_name}: the column for {key!r} must be a non-empty header name, got {column!r}")
        mapping[str(key)] = column
    return mapping


def resolve_columns(source: Source, header: list[str], entity: str, explicit: Mapping[str, str]) -> dict[str, str]:
    """Map canonical names to the input's own headers: explicit mapping first, then known spellings."""
    specs = ENTITY_COLUMNS[entity]
    resolved: dict[str, str] = {}
    for canonical, column in explicit.items():
        if column not in header:
            raise InputError(
                f"{source.label}: mapped column {column!r} (for {canonical}) is not in the input; "
                f"its columns are {header}"
            )
        resolved[canonical] = column
    taken = set(resolved.values())
    by_spelling: dict[str, list[str]] = {}
    for column in header:
        by_spelling.setdefault(normalize_header(column), []).append(column)
    for spec in specs:
        if spec.name in resolved:
            continue
        candidates = [
            c
            for alias in (normalize_header(spec.name), *spec.aliases)
            for c in by_spelling.get(alias, [])
            if c not in taken
        ]
        candidates = list(dict.fromkeys(candidates))
        if len(candidates) > 1:
            raise InputError(
                f"{source.label}: columns {candidates} could all be {spec.name}; choose one with the column mapping var"
            )
        if candidates:
            resolved[spec.name] = candidates[0]
            taken.add(candidates[0])
    missing = [spec.name for spec in specs if spec.required and spec.name not in resolved]
    if missing:
        raise InputError(
            f"{source.label}: required column(s) {missing} not found; its columns are {header}. "
            f"Map them with the {entity}_columns var"
        )
    return resolved


def open_relation(connection: duckdb.DuckDBPyConnection, source: Source) -> duckdb.DuckDBPyRelation:
    """A relation over the raw input; raises InputError for missing, empty or unreadable files."""
    if source.kind == "csv":
        paths = _csv_paths(source)
        for path in paths:
            _check_csv_file(source, path)
        delimiter = _detect_delimiter(paths[0])
        try:
            return connection.sql(
                "select * from read_csv($path, header = true, all_varchar = true, delim = $delim, "
                "quote = '\"', escape = '\"', strict_mode = true, null_padding = false, skip = 0)",
                params={"path": source.location, "delim": delimiter},
            )
        except duckdb.Error as error:
            _raise_csv_problem(source, paths, delimiter, error)
    if source.kind == "parquet":
        try:
            return connection.read_parquet(source.location)
        except duckdb.Error as error:
            raise InputError(f"{source.label}: not a readable Parquet file: {_first_line(error)}") from error
    if source.kind == "duckdb_file":
        # One alias per database file, so two different files never share an attachment.
        alias = "segmentation_input_" + hashlib.sha256(str(Path(source.location).resolve()).encode()).hexdigest()[:12]
        attached = {row[0] for row in connection.execute("select database_name from duckdb_databases()").fetchall()}
        if alias not in attached:
            path_literal = "'" + str(Path(source.location).resolve()).replace("'", "''") + "'"
            connection.execute(f"attach {path_literal} as {alias} (read_only)")
        return _table(connection, f"{alias}.{source.table}", source)
    return _table(connection, source.location, source)


def read_input(
    connection: duckdb.DuckDBPyConnection, source: Source, entity: str, explicit: Mapping[str, str]
) -> duckdb.DuckDBPyRelation:
    """The input as canonical text columns, checked to have at least one row (see `canonicalize`)."""
    return canonicalize(open_relation(connection, source), source, entity, explicit)


def canonicalize(
    relation: duckdb.DuckDBPyRelation, source: Source, entity: str, explicit: Mapping[str, str]
) -> duckdb.DuckDBPyRelation:
    """Every canonical column as text (null when the input lacks it), plus `input_columns`,
    the list of canonical columns the input really has: staging requires values only there."""
    header = list(relation.columns)
    resolved = resolve_columns(source, header, entity, explicit)
    present = [spec.name for spec in ENTITY_COLUMNS[entity] if spec.name in resolved]
    projection = (
        ", ".join(
            f"cast({quote_identifier(resolved[spec.name])} as varchar) as {spec.name}"
            if spec.name in resolved
            else f"cast(null as varchar) as {spec.name}"
            for spec in ENTITY_COLUMNS[entity]
        )
        + ", ["
        + ", ".join(f"'{name}'" for name in present)
        + "]::varchar[] as input_columns"
    )
    try:
        canonical = relation.project(projection)
        n_rows = canonical.aggregate("count(*)").fetchall()[0][0]
    except duckdb.Error as error:
        if source.kind == "csv":
            paths = _csv_paths(source)
            _raise_csv_problem(source, paths, _detect_delimiter(paths[0]), error)
        raise InputError(f"{source.label}: could not be read: {_first_line(error)}") from error
    if n_rows == 0:
        raise InputError(f"{source.label}: has a header but no data rows")
    return canonical


def _table(connection: duckdb.DuckDBPyConnection, name: str, source: Source) -> duckdb.DuckDBPyRelation:
    try:
        return connection.table(name)
    except duckdb.Error as error:
        raise InputError(f"{source.label}: no such table: {_first_line(error)}") from error


def _csv_paths(source: Source) -> list[str]:
    return sorted(glob.glob(source.location)) if glob.has_magic(source.location) else [source.location]


def _check_csv_file(source: Source, path: str) -> None:
    """Problems DuckDB would report obscurely are caught here with a plain message."""
    if os.path.getsize(path) == 0:
        raise InputError(f"{source.var_name}: file {path!r} is empty; expected a header row and data rows")
    _check_utf8(source, path)


def _detect_delimiter(path: str) -> str:
    """The most frequent of , ; tab | in the header line (a file may use any of them)."""
    opener = gzip.open if path.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace", newline="") as handle:
        header = handle.readline()
    counts = {candidate: header.count(candidate) for candidate in (",", ";", "\t", "|")}
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","


def _raise_csv_problem(source: Source, paths: list[str], delimiter: str, error: Exception) -> None:
    """Find the first malformed line with Python's csv module, so the message can name it."""
    for path in paths:
        opener = gzip.open if path.lower().endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
            # A record can span lines (quoted newlines), and an unclosed quote is only noticed at the
            # end of the file: name the line where the record starts, not where the reader stopped.
            start = 1
            try:
                header = next(reader)
                start = reader.line_num + 1
                for row in reader:
                    if row and len(row) != len(header):
                        raise InputError(
                            f"{source.var_name}: file {path!r} line {start}: expected {len(header)} "
                            f"fields separated by {delimiter!r} like the header, found {len(row)}"
                        )
                    start = reader.line_num + 1
            except csv.Error as csv_error:
                raise InputError(
                    f"{source.var_name}: file {path!r} line {start}: malformed CSV ({csv_error}); check the quoting"
                ) from None
    raise InputError(f"{source.label}: not a readable CSV file: {_first_line(error)}") from error


def _check_utf8(source: Source, path: str) -> None:
    """Name the line of the first byte that is not UTF-8 (DuckDB's own message does not say where)."""
    if path.lower().endswith(".gz"):
        return
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        # Slow path, only on failure: UTF-8 never puts a newline byte inside a character,
        # so decoding line by line finds the exact line.
        with open(path, "rb") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError as error:
                    raise InputError(
                        f"{source.var_name}: file {path!r} is not UTF-8: byte 0x{line[error.start]:02x} "
                        f"on line {number}; save it as UTF-8"
                    ) from None


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


@dataclass(frozen=True)
class InputSettings:
    """Which inputs to read, from the path and mapping vars.

    With neither path set, the bundled demo seeds are used. With only customers_path, there
    are no orders; with only orders_path, the customers are the distinct ids of the orders.
    """

    customers: Source | None = None
    orders: Source | None = None
    customers_columns: Mapping[str, str] | None = None
    orders_columns: Mapping[str, str] | None = None

    @property
    def is_demo(self) -> bool:
        return self.customers is None and self.orders is None

    @classmethod
    def from_meta(cls, meta: Mapping[str, Any]) -> InputSettings:
        """Parse the vars as dbt renders them into meta (text), validating each."""

        def text(name: str) -> str | None:
            value = meta.get(name)
            return None if value is None or str(value).strip() in ("", "None", "none", "null") else str(value)

        def mapping(name: str, entity: str) -> dict[str, str]:
            value = meta.get(name)
            if isinstance(value, str):
                stripped = value.strip()
                if stripped in ("", "None", "none", "null", "{}"):
                    return {}
                try:
                    value = ast.literal_eval(stripped)
                except (ValueError, SyntaxError) as error:
                    raise InputError(
                        f"{name}: cannot read {value!r} as a mapping like {{customer_id: 'Cust No'}}"
                    ) from error
            return parse_column_map(name, value, entity)

        customers_path, orders_path = text("customers_path"), text("orders_path")
        return cls(
            customers=parse_source("customers_path", customers_path) if customers_path else None,
            orders=parse_source("orders_path", orders_path) if orders_path else None,
            customers_columns=mapping("customers_columns", "customers"),
            orders_columns=mapping("orders_columns", "orders"),
        )


SEED_SOURCES = {
    "customers": Source("seed", "seed", "seeds/raw_customers.csv", "raw_customers"),
    "orders": Source("seed", "seed", "seeds/raw_orders.csv", "raw_orders"),
}


def load_orders(
    connection: duckdb.DuckDBPyConnection, settings: InputSettings, demo_orders: duckdb.DuckDBPyRelation
) -> duckdb.DuckDBPyRelation:
    """Raw orders as canonical text; no rows when only customers were given."""
    if settings.is_demo:
        return canonicalize(demo_orders, SEED_SOURCES["orders"], "orders", {})
    if settings.orders is None:
        columns = ", ".join(f"cast(null as varchar) as {spec.name}" for spec in ORDER_COLUMNS)
        return connection.sql(f"select {columns}, []::varchar[] as input_columns where false")
    return read_input(connection, settings.orders, "orders", settings.orders_columns or {})


def load_customers(
    connection: duckdb.DuckDBPyConnection,
    settings: InputSettings,
    demo_customers: duckdb.DuckDBPyRelation,
    raw_orders: duckdb.DuckDBPyRelation,
) -> duckdb.DuckDBPyRelation:
    """Raw customers as canonical text; with only orders given, one row per distinct customer id."""
    if settings.is_demo:
        return canonicalize(demo_customers, SEED_SOURCES["customers"], "customers", {})
    if settings.customers is None:
        columns = ", ".join(f"cast(null as varchar) as {spec.name}" for spec in CUSTOMER_COLUMNS[1:])
        return (
            raw_orders.project("trim(customer_id) as customer_id")
            .filter("customer_id <> ''")
            .distinct()
            .project(f"customer_id, {columns}, ['customer_id']::varchar[] as input_columns")
        )
    return read_input(connection, settings.customers, "customers", settings.customers_columns or {})

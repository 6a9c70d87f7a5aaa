"""Run a report page's .sql file against the dbt-built DuckDB file and print JSON.

This is the only data loader of the report site. Observable Framework runs it for every
`*.json.sql` file under `src/` (see `interpreters` in observablehq.config.js):

    python run_sql.py src/model-selection.json.sql            -> model-selection.json
    python run_sql.py src/segments/[segment].json.sql --segment=3

A .sql file holds one or more named queries, each starting with a `-- name: <key>` line.
The output is one JSON object, `{"<key>": [row, ...], ...}`, each row an object keyed by
column name. Route parameters (`--segment=3`) are bound as named parameters (`$segment`).
A file without any `-- name:` line is a single query and prints a plain list of rows.

`--query "select ..."` runs one ad-hoc statement and prints its rows (used by the config
to enumerate segment pages, and by the browser tests to compare the page with the SQL).

The database is opened read-only: SEGMENTATION_DUCKDB_PATH, or customer_segmentation.duckdb,
relative paths being relative to the repository root (where make and dbt run).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import os
import re
import sys
import uuid
from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parents[2]
NAME_LINE = re.compile(r"^--\s*name:\s*([A-Za-z_][A-Za-z0-9_]*)\s*$", re.MULTILINE)
LITERAL_OR_COMMENT = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/", re.DOTALL)
PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def database_path() -> Path:
    path = Path(os.environ.get("SEGMENTATION_DUCKDB_PATH", "customer_segmentation.duckdb"))
    return path if path.is_absolute() else REPO_ROOT / path


def connect() -> duckdb.DuckDBPyConnection:
    path = database_path()
    if not path.exists():
        sys.exit(f"run_sql: {path} does not exist; run `make build` (dbt) first")
    return duckdb.connect(str(path), read_only=True)


def split_queries(text: str) -> dict[str, str] | None:
    """{name: sql} in file order, or None when the file has no `-- name:` lines."""
    matches = list(NAME_LINE.finditer(text))
    if not matches:
        return None
    queries = {}
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        name = match.group(1)
        if name in queries:
            sys.exit(f"run_sql: query name {name!r} appears twice")
        end = following.start() if following else len(text)
        queries[name] = text[match.end() : end]
    return queries


def parse_params(argv: list[str]) -> dict[str, object]:
    params: dict[str, object] = {}
    for arg in argv:
        match = re.fullmatch(r"--([A-Za-z_][A-Za-z0-9_]*)=(.*)", arg, re.DOTALL)
        if not match:
            sys.exit(f"run_sql: unexpected argument {arg!r}")
        name, value = match.groups()
        params[name] = int(value) if re.fullmatch(r"-?\d+", value) else value
    return params


def jsonable(value):
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, decimal.Decimal):
        return jsonable(float(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, uuid.UUID | bytes):
        return str(value)
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value


def run(connection, sql: str, params: dict[str, object], label: str) -> list[dict]:
    sql = sql.strip().rstrip(";").strip()
    code = LITERAL_OR_COMMENT.sub(" ", sql)
    used = dict.fromkeys(PARAMETER.findall(code))
    missing = [name for name in used if name not in params]
    if missing:
        sys.exit(f"run_sql: {label} uses ${missing[0]} but no such parameter was given")
    bound = {name: params[name] for name in used}
    try:
        cursor = connection.execute(sql, bound) if bound else connection.execute(sql)
    except duckdb.Error as error:
        sys.exit(f"run_sql: {label} failed: {error}")
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, jsonable(row), strict=True)) for row in cursor.fetchall()]


def main(argv: list[str]) -> None:
    if len(argv) == 2 and argv[0] == "--query":
        result = run(connect(), argv[1], {}, "--query")
    elif argv and not argv[0].startswith("--"):
        sql_path = Path(argv[0])
        params = parse_params(argv[1:])
        text = sql_path.read_text(encoding="utf-8")
        queries = split_queries(text)
        connection = connect()
        if queries is None:
            result = run(connection, text, params, sql_path.name)
        else:
            result = {name: run(connection, sql, params, f"{sql_path.name} [{name}]") for name, sql in queries.items()}
    else:
        sys.exit(__doc__)
    json.dump(result, sys.stdout, separators=(",", ":"), allow_nan=False)


if __name__ == "__main__":
    main(sys.argv[1:])

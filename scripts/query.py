"""Run one SQL statement against the built DuckDB file and print the rows as a table.

    .venv/bin/python scripts/query.py "select segment_name, n_customers from segment_profiles order by segment_id"

`make build` writes the file with the Python duckdb package that uv.lock pins, in a storage
format a DuckDB CLI of another version may not read; this script uses that same package, so
it reads whatever `make build` wrote. The file is opened read-only (a build can run meanwhile):
SEGMENTATION_DUCKDB_PATH or customer_segmentation.duckdb, relative to the repository root.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parents[1]


def database_path() -> Path:
    """The database `make build` wrote, where the report site and the tests also look."""
    path = Path(os.environ.get("SEGMENTATION_DUCKDB_PATH", "customer_segmentation.duckdb"))
    return path if path.is_absolute() else REPO_ROOT / path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sql", help="one SQL statement (add an order by: rows come in no set order otherwise)")
    parser.add_argument("--max-rows", type=int, default=100, help="rows printed at most (default 100)")
    args = parser.parse_args(argv)
    path = database_path()
    if not path.exists():
        print(f"{path} does not exist: run `make build` first", file=sys.stderr)
        return 1
    with duckdb.connect(str(path), read_only=True) as connection:
        try:
            relation = connection.sql(args.sql)
        except duckdb.Error as error:
            print(f"query failed: {error}", file=sys.stderr)
            return 1
        if relation is None:  # a statement that returns no rows (e.g. a pragma)
            return 0
        relation.show(max_rows=args.max_rows, max_width=10_000)
    return 0


if __name__ == "__main__":
    sys.exit(main())

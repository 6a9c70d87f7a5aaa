"""`make build`'s dbt step: build into a copy of the database and swap it in only on success.

Why a wrapper around `dbt build`:
- a failed build (bad input, a failing test) leaves the previous database untouched and
  queryable, because dbt works on a copy that replaces the real file only when everything passed;
- a database locked by another process (a DuckDB CLI, a notebook) gets a one-line message
  instead of a stack trace;
- a failure ends with one line per failed node saying what went wrong, not only a traceback.

Usage:
    python scripts/dbt_build.py [--customers PATH] [--orders PATH] [--vars YAML] [-- extra dbt args]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

DEFAULT_DATABASE = "customer_segmentation.duckdb"
PROJECT_DIR = Path(__file__).resolve().parents[1]


class DatabaseLockedError(RuntimeError):
    """Another process holds the DuckDB file."""


def database_path() -> Path:
    """The file the build produces: SEGMENTATION_DUCKDB_PATH, or customer_segmentation.duckdb here."""
    return Path(os.environ.get("SEGMENTATION_DUCKDB_PATH", DEFAULT_DATABASE)).resolve()


def ensure_unlocked(path: Path) -> None:
    """Raise DatabaseLockedError, naming the holder, if another process has the file open."""
    if not path.exists():
        return
    try:
        duckdb.connect(str(path)).close()
    except duckdb.IOException as error:
        text = str(error)
        if "lock" not in text.lower():
            raise
        holder = re.search(r"held in (.+?) \(PID (\d+)\)", text)
        who = f"{holder.group(1)} (PID {holder.group(2)})" if holder else "another process"
        raise DatabaseLockedError(
            f"{path} is locked by {who}. Close the program using it (a DuckDB CLI, a notebook, "
            "the report preview) and run the build again."
        ) from None


def merged_vars(vars_yaml: str | None, customers: str | None, orders: str | None) -> str:
    """One dbt --vars YAML mapping holding the user's vars plus the input paths (as JSON strings)."""
    parts = []
    inner = (vars_yaml or "").strip()
    if inner and inner != "{}":
        if not (inner.startswith("{") and inner.endswith("}")):
            raise SystemExit(f"error: VARS must be a YAML mapping in braces, e.g. '{{n_clusters: 5}}', got {inner!r}")
        parts.append(inner[1:-1].strip())
    if customers:
        parts.append(f"customers_path: {json.dumps(customers)}")
    if orders:
        parts.append(f"orders_path: {json.dumps(orders)}")
    return "{" + ", ".join(p for p in parts if p) + "}"


def absolute_input(value: str | None) -> str | None:
    """Input paths are read from the project folder; make a relative path absolute first."""
    if not value or re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,2}", value):
        return value  # empty, or a table name
    if ".duckdb:" in value:
        database, table = value.rsplit(":", 1)
        return f"{os.path.abspath(database)}:{table}"
    return os.path.abspath(value)


def failure_summary(run_results: Path) -> list[str]:
    """'node: last line of its error' for every node that errored or failed."""
    if not run_results.exists():
        return []
    lines = []
    for result in json.loads(run_results.read_text()).get("results", []):
        if result.get("status") not in ("error", "fail"):
            continue
        message = [line.strip() for line in (result.get("message") or "").splitlines()]
        # dbt appends "> in macro ..." / "> called by ..." to compilation errors: not the cause
        meaningful = [line for line in message if line and set(line) - set("^ ") and not line.startswith(">")]
        # A database error names itself ("Conversion Error: ..."); otherwise the last line says it.
        errors = [line for line in meaningful if re.match(r"^[A-Z][A-Za-z ]* Error: ", line)]
        last = (errors or meaningful or [result["status"]])[-1]
        # Python model failures end in "package.module.ErrorClass: message"; keep the message.
        last = re.sub(r"^[\w.]+(Error|Exception): ", "", last)
        lines.append(f"{result['unique_id'].split('.', 2)[-1]}: {last}")
    return lines


def build(extra_args: list[str], vars_yaml: str) -> int:
    final = database_path()
    try:
        ensure_unlocked(final)
    except DatabaseLockedError as error:
        print(f"error: {error}", file=sys.stderr)
        return 3
    staging = final.with_name(final.name + ".building")
    for leftover in (staging, staging.with_name(staging.name + ".wal")):
        leftover.unlink(missing_ok=True)
    if final.exists():
        # Work on a copy: tables the user loaded into the database stay available as inputs.
        shutil.copy2(final, staging)
    target = Path(os.environ.get("DBT_TARGET_PATH", PROJECT_DIR / "target"))
    (target / "run_results.json").unlink(missing_ok=True)
    env = {**os.environ, "DO_NOT_TRACK": "1", "SEGMENTATION_DUCKDB_PATH": str(staging)}
    command = [
        str(Path(sys.executable).parent / "dbt"),
        "build",
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--vars",
        vars_yaml,
        *extra_args,
    ]
    completed = subprocess.run(command, cwd=PROJECT_DIR, env=env, check=False)
    if completed.returncode != 0:
        staging.unlink(missing_ok=True)
        staging.with_name(staging.name + ".wal").unlink(missing_ok=True)
        print(
            "\nerror: the build failed; the previous database was left as it was"
            f"{'' if final.exists() else ' (there was none)'}: {final}",
            file=sys.stderr,
        )
        for line in failure_summary(target / "run_results.json"):
            print(f"  - {line}", file=sys.stderr)
        return completed.returncode
    # Fold any write-ahead log into the file before it is moved.
    duckdb.connect(str(staging)).close()
    os.replace(staging, final)
    print(f"built {final}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", help="customers input: CSV, Parquet, glob, table, or file.duckdb:table")
    parser.add_argument("--orders", help="orders input, same forms as --customers")
    parser.add_argument("--vars", default="{}", help="dbt vars as a YAML mapping, e.g. '{n_clusters: 5}'")
    args, extra = parser.parse_known_args(argv)
    extra = [a for a in extra if a != "--"]
    return build(extra, merged_vars(args.vars, absolute_input(args.customers), absolute_input(args.orders)))


if __name__ == "__main__":
    sys.exit(main())

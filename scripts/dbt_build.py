"""`make build`: build into a working copy of the database and swap it in only on success, under a lock.

Why a wrapper around `dbt build`:
- a failed, interrupted or killed build leaves the previous database untouched and queryable:
  dbt works on a copy beside it (<database>.building), which replaces the real file (one rename)
  only when everything passed;
- one build per database at a time: `<database>.lock` is held for the whole build, the report
  site included; a second build stops with the first one's PID, or waits with --wait;
- every known failure (database in use, not a DuckDB file, read-only folder, full disk, Ctrl-C)
  is one line with its own exit code (scripts/build_errors.py), never a traceback;
- a failed dbt build ends with one line per failed node saying what went wrong.

Usage:
    python scripts/dbt_build.py [--customers PATH] [--orders PATH] [--vars YAML] [--wait] [--report] [-- dbt args]

Each option can also come from the environment, which is how `make build` passes them so that
no value is ever spliced into shell text: SEGMENTATION_CUSTOMERS, SEGMENTATION_ORDERS,
SEGMENTATION_VARS and SEGMENTATION_BUILD_WAIT (any value but empty or 0 means wait).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import duckdb
import yaml

from build_errors import (
    KEPT,
    BuildError,
    ExitCode,
    Interrupted,
    build_running,
    database_open_failed,
    finishing_failed,
    write_failed,
)
from build_lock import BuildRunningError, build_lock
from child_process import wait_or_stop

DEFAULT_DATABASE = "customer_segmentation.duckdb"
PROJECT_DIR = Path(__file__).resolve().parents[1]
REPORTS_DIR = PROJECT_DIR / "reports"
# <database>.building: the working copy. Its name is the same for every build (the lock makes it
# one build's alone), because dbt re-parses the whole project whenever the profile's path changes.
COPY_SUFFIX = ".building"


def database_path() -> Path:
    """The file the build produces: SEGMENTATION_DUCKDB_PATH, or customer_segmentation.duckdb here."""
    return Path(os.environ.get("SEGMENTATION_DUCKDB_PATH", DEFAULT_DATABASE)).resolve()


def ensure_readable(path: Path) -> None:
    """Open the existing database once: raise BuildError if it is in use, not DuckDB, or unreadable.

    Opening read-write also folds a leftover write-ahead log into the file before it is copied.
    """
    if not path.exists():
        return
    try:
        duckdb.connect(str(path)).close()
    except duckdb.Error as error:
        raise database_open_failed(path, error) from None


def merged_vars(vars_yaml: str | None, customers: str | None, orders: str | None) -> str:
    """dbt's --vars value: the user's VARS mapping plus the input paths, as JSON (which is YAML too)."""
    try:
        user_vars = yaml.safe_load(vars_yaml or "") or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise BuildError(
            ExitCode.BAD_ARGUMENTS,
            f"error: VARS is not valid YAML ({problem}{where}); expected a mapping like '{{n_clusters: 5}}', "
            f"got {vars_yaml!r}",
        ) from None
    if not isinstance(user_vars, dict):
        raise BuildError(
            ExitCode.BAD_ARGUMENTS,
            f"error: VARS must be a YAML mapping like '{{n_clusters: 5}}', got {vars_yaml!r}",
        )
    paths = {"customers_path": customers, "orders_path": orders}
    # default=str: an unquoted YAML date (as_of_date: 2024-06-01) reaches dbt as its ISO text.
    return json.dumps({**user_vars, **{key: value for key, value in paths.items() if value}}, default=str)


def absolute_input(value: str | None) -> str | None:
    """Input paths are read from the project folder; make a relative path absolute first."""
    if not value or re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,2}", value):
        return value  # empty, or a table name
    if ".duckdb:" in value:
        database, table = value.rsplit(":", 1)
        return f"{os.path.abspath(database)}:{table}"
    return os.path.abspath(value)


def error_line(message: str) -> str:
    """The line of a dbt error message that says what went wrong."""
    lines = [line.strip() for line in message.splitlines()]
    # dbt appends "> in macro ..." / "> called by ..." to compilation errors: not the cause
    meaningful = [line for line in lines if line and set(line) - set("^ ") and not line.startswith(">")]
    # A database error names itself ("Conversion Error: ..."); otherwise the last line says it.
    errors = [line for line in meaningful if re.match(r"^[A-Z][A-Za-z ]* Error: ", line)]
    last = (errors or meaningful or ["error"])[-1]
    # DuckDB's CSV errors give the file on a line of its own ("file = orders.csv")
    file = next((line.split("=", 1)[1].strip() for line in meaningful if line.startswith("file = ")), None)
    if file and file not in last:
        last += f" ({file})"
    # Python model failures end in "package.module.ErrorClass: message"; keep the message.
    return re.sub(r"^[\w.]+(Error|Exception): ", "", last)


def failure_summary(run_results: Path, log_file: Path) -> list[str]:
    """'node: what went wrong' for every node that errored or failed. An error before any node
    ran (an on-run-start hook: a missing or unreadable input) is in no run_results.json, so it
    is read from the last invocation's error events in dbt's JSON log file."""
    results = json.loads(run_results.read_text()).get("results", []) if run_results.exists() else []
    lines = [
        f"{result['unique_id'].split('.', 2)[-1]}: {error_line(result.get('message') or result['status'])}"
        for result in results
        if result.get("status") in ("error", "fail")
    ]
    if lines or not log_file.exists():
        return lines
    events = [json.loads(line) for line in log_file.read_text().splitlines() if line.startswith("{")]
    last_run = events[-1]["info"].get("invocation_id") if events else None
    return [
        error_line(event["data"]["exc"])
        for event in events
        if event["info"].get("invocation_id") == last_run and event["info"]["name"] == "MainEncounteredError"
    ]


def name_the_input(line: str, inputs: dict[str, str | None]) -> str:
    """DuckDB's reader errors cite the file, not the var: say which input it is."""
    for var, path in inputs.items():
        if path and path in line and var not in line:
            return f"{var} ('{path}'): {line.replace(': ' + path, '').replace(path, 'the file')}"
    return line


def run_child(command: list[str], *, cwd: Path, env: dict[str, str]) -> int:
    """Run a child process; if this one is interrupted, stop the child first (SIGTERM, then SIGKILL).

    SIGTERM gives the report build the chance to delete its half-built site; dbt just stops, which
    is safe because it only ever writes the working copy.
    """
    return wait_or_stop(subprocess.Popen(command, cwd=cwd, env=env))


def remove_copy(copy: Path) -> None:
    """Delete a working copy and its write-ahead log."""
    for path in (copy, copy.with_name(copy.name + ".wal")):
        path.unlink(missing_ok=True)


def remove_orphaned_copies(final: Path) -> None:
    """Delete working copies left by builds that were killed (SIGKILL, power loss).

    Called under the lock, so no other build is using one; `<database>.building-<pid>-<random>`
    copies are what earlier versions of this script left.
    """
    for copy in final.parent.glob(f"{final.name}{COPY_SUFFIX}*"):
        if copy.is_file():
            copy.unlink(missing_ok=True)


@contextmanager
def working_copy(final: Path) -> Iterator[Path]:
    """A copy of the database beside it (none if there is no database yet), always deleted."""
    copy = final.with_name(final.name + COPY_SUFFIX)
    try:
        if final.exists():
            # Work on a copy: tables the user loaded into the database stay available as inputs.
            shutil.copy2(final, copy)
        yield copy
    finally:
        remove_copy(copy)


def dbt_build(copy: Path, final: Path, vars_json: str, extra_args: list[str]) -> None:
    """Run dbt build on the working copy; raise BuildError (with a line per failed node) if it fails."""
    target = Path(os.environ.get("DBT_TARGET_PATH", PROJECT_DIR / "target"))
    (target / "run_results.json").unlink(missing_ok=True)
    # One spill folder per database, not per working copy: the lock makes it this build's alone.
    spill = final.with_name(final.name + ".tmp")
    env = {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "SEGMENTATION_DUCKDB_PATH": str(copy),
        "SEGMENTATION_DUCKDB_TEMP_DIR": str(spill),
        # dbt's multiprocessing helper outlives a stopped dbt and would print a leaked-semaphore
        # warning after this script's last line; the semaphores are the OS's to clean up.
        "PYTHONWARNINGS": "ignore:resource_tracker:UserWarning",
    }
    dbt = str(Path(sys.executable).parent / "dbt")
    logs = Path(os.environ.get("DBT_LOG_PATH", PROJECT_DIR / "logs"))
    command = [dbt, "build", "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    command += ["--log-format-file", "json"]
    try:
        code = run_child([*command, "--vars", vars_json, *extra_args], cwd=PROJECT_DIR, env=env)
    finally:
        # DuckDB deletes its spill files when it closes normally, not when it is stopped.
        shutil.rmtree(spill, ignore_errors=True)
    if code != 0:
        none = "" if final.exists() else " (there was none)"
        inputs = {name: json.loads(vars_json).get(name) for name in ("customers_path", "orders_path")}
        summary = "".join(
            f"\n  - {name_the_input(line, inputs)}"
            for line in failure_summary(target / "run_results.json", logs / "dbt.log")
        )
        raise BuildError(ExitCode.BUILD_FAILED, f"\nerror: the build failed; {KEPT}{none}: {final}{summary}")


def build_database(final: Path, vars_json: str, extra_args: list[str]) -> None:
    """Check the existing database, build a working copy, and rename it over the database on success."""
    ensure_readable(final)
    remove_orphaned_copies(final)
    with working_copy(final) as copy:
        dbt_build(copy, final, vars_json, extra_args)
        try:
            duckdb.connect(str(copy)).close()  # fold the write-ahead log into the file before the rename
        except duckdb.Error as error:
            raise finishing_failed(final, error) from None
        os.replace(copy, final)


def build_report(final: Path) -> None:
    """Build the report site from the new database; reports/scripts/build.js swaps it in atomically."""
    env = {**os.environ, "SEGMENTATION_DUCKDB_PATH": str(final)}
    try:
        failed = run_child(["node", "scripts/build.js"], cwd=REPORTS_DIR, env=env) != 0
    except OSError as error:  # node is missing
        print(f"error: cannot run node: {error}", file=sys.stderr)
        failed = True
    if failed:
        raise BuildError(
            ExitCode.REPORT_FAILED,
            f"error: the database was built ({final}) but the report site was not; the previous site was kept. "
            "Fix the error above and run `make report`.",
        )


def raise_interrupted(signal_number: int, _frame: FrameType | None) -> None:
    raise Interrupted(signal_number)


def parse_args(argv: list[str] | None) -> tuple[argparse.Namespace, list[str]]:
    """The options, each defaulting to its environment variable (how `make build` passes them)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    env = os.environ.get
    parser.add_argument(
        "--customers",
        default=env("SEGMENTATION_CUSTOMERS") or None,
        help="customers input: CSV, Parquet, glob, table, or file.duckdb:table",
    )
    parser.add_argument(
        "--orders", default=env("SEGMENTATION_ORDERS") or None, help="orders input, same forms as --customers"
    )
    parser.add_argument(
        "--vars", default=env("SEGMENTATION_VARS") or "{}", help="dbt vars as a YAML mapping, e.g. '{n_clusters: 5}'"
    )
    parser.add_argument(
        "--wait",
        action="store_true",
        default=env("SEGMENTATION_BUILD_WAIT", "") not in ("", "0"),
        help="wait for another build of the same database instead of stopping",
    )
    parser.add_argument("--report", action="store_true", help="then build the report site (what `make build` does)")
    args, extra = parser.parse_known_args(argv)
    return args, [a for a in extra if a != "--"]


def main(argv: list[str] | None = None) -> int:
    args, extra = parse_args(argv)
    final = database_path()
    database_built = False
    handlers = {number: signal.signal(number, raise_interrupted) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        vars_json = merged_vars(args.vars, absolute_input(args.customers), absolute_input(args.orders))
        with build_lock(final, wait=args.wait):
            build_database(final, vars_json, extra)
            database_built = True
            print(f"built {final}")
            if args.report:
                build_report(final)
    except BuildRunningError as error:
        print(build_running(error.database, error.holder).message, file=sys.stderr)
        return ExitCode.BUILD_RUNNING
    except BuildError as error:
        print(error.message, file=sys.stderr)
        return error.code
    except OSError as error:  # writing the lock file or the working copy, or the rename
        failure = write_failed(error, final)
        print(failure.message, file=sys.stderr)
        return failure.code
    except Interrupted as stop:
        done = (
            f"the database was built ({final}) but the report site build was stopped; the previous site was kept"
            if database_built
            else f"{KEPT}: {final}"
        )
        print(f"\ninterrupted: the build was stopped; {done}", file=sys.stderr)
        return stop.exit_code
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    return ExitCode.OK


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the whole build on generated data: wall time, peak memory, and the slowest dbt nodes.

    python scripts/bench.py --customers 100000            # make bench
    python scripts/bench.py --customers 1000000 --keep     # keep the DuckDB file for a look

Data is generated once per size (Parquet, seed 42) under bench/data/ and reused. Results
go to bench/results/<customers>.json. Figures from one machine and one run: compare ratios
measured in the same run, not absolute numbers across machines.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[1]
BENCH_DIR = PROJECT_DIR / "bench"


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB of the child processes, and the exit code."""
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=PROJECT_DIR, env=env, check=False)
    elapsed = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak_kib / 1024, completed.returncode


def generate(n_customers: int) -> tuple[Path, float]:
    """The Parquet data for this size, generated on first use; returns its folder and the seconds spent."""
    data = BENCH_DIR / "data" / str(n_customers)
    if (data / "raw_orders.parquet").exists():
        return data, 0.0
    command = [
        sys.executable,
        str(PROJECT_DIR / "scripts" / "generate_demo_data.py"),
        "--customers",
        str(n_customers),
        "--format",
        "parquet",
        "--out",
        str(data),
    ]
    elapsed, _, code = _timed(command, dict(os.environ))
    if code:
        raise SystemExit(f"generating {n_customers} customers failed")
    return data, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the built DuckDB file under bench/")
    args = parser.parse_args(argv)

    data, generate_seconds = generate(args.customers)
    workdir = Path(tempfile.mkdtemp(prefix="segmentation-bench-"))
    database = (BENCH_DIR / f"{args.customers}.duckdb") if args.keep else workdir / "bench.duckdb"
    database.unlink(missing_ok=True)
    env = {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "SEGMENTATION_DUCKDB_PATH": str(database),
        "DBT_TARGET_PATH": str(workdir / "target"),
        "DBT_LOG_PATH": str(workdir / "logs"),
    }
    command = [
        sys.executable,
        str(PROJECT_DIR / "scripts" / "dbt_build.py"),
        "--customers",
        str(data / "raw_customers.parquet"),
        "--orders",
        str(data / "raw_orders.parquet"),
    ]
    build_seconds, peak_mib, code = _timed(command, env)
    if code:
        print(f"build failed (exit {code}); see {workdir / 'logs'}", file=sys.stderr)
        return code

    run_results = json.loads((workdir / "target" / "run_results.json").read_text())
    slowest = sorted(
        ((r["execution_time"], r["unique_id"].split(".")[-1]) for r in run_results["results"]), reverse=True
    )[:8]
    with duckdb.connect(str(database), read_only=True) as connection:
        customers, orders = connection.sql(
            "select (select count(*) from customers), (select count(*) from stg_shop__orders)"
        ).fetchall()[0]
        k, rule, silhouette = connection.sql("select k, k_rule, silhouette from int_segment_models_fitted").fetchall()[
            0
        ]
    result = {
        "customers_requested": args.customers,
        "clean_customers": customers,
        "clean_orders": orders,
        "generate_seconds": round(generate_seconds, 1),
        "build_seconds": round(build_seconds, 1),
        "build_peak_rss_mib": round(peak_mib),
        "database_mib": round(database.stat().st_size / 2**20, 1),
        "k": k,
        "k_rule": rule,
        "silhouette": round(silhouette, 4) if silhouette is not None else None,
        "slowest_nodes_seconds": {name: round(seconds, 1) for seconds, name in slowest},
    }
    (BENCH_DIR / "results").mkdir(parents=True, exist_ok=True)
    (BENCH_DIR / "results" / f"{args.customers}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

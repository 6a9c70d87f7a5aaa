"""`make bench SIZE=S|M|L`: the project side by side with a notebook and with the floor, on generated data.

    python scripts/bench/run_bench.py --size M
    python scripts/bench/run_bench.py --customers 3000 --rounds 1   # try the harness on tiny data

Four pipelines, each a subprocess measured the same way (wall time, peak RSS of its process tree):
(a) notebook_pipeline.py, plain pandas; (b) floor_pipeline.py, one DuckDB query; (c) the project's
build (scripts/dbt_build.py) with k fixed at 5 on (a)'s features; (d) the project's default build.
One warm-up round, then --rounds rounds of a, b, c, d. Every (c) and (d) run is a first build
(its database is deleted before) that keeps its dbt target folder, as a user rebuilding would.

Data is generated once per size (Parquet, seed 42, 10 orders per customer) under target/bench/data/<size>/ and reused.
Results go to target/bench/<size>-<UTC time>.json; the working files of the runs are deleted.
Exit code 1 when a run failed; a missed target is reported, not an error.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

from bench_summary import (
    PIPELINES,
    agreement_note,
    agreement_verdict,
    check_targets,
    format_bytes,
    format_report,
    pipeline_medians,
    ratio_medians,
    round_ratios,
    top_nodes,
)
from process_tree import measure

PROJECT_DIR = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BENCH_DIR = PROJECT_DIR / "target" / "bench"
SIZES = {"S": 100_000, "M": 1_000_000, "L": 10_000_000}
# Sizes are customers / orders (100k / 1M, 1M / 10M, 10M / 100M): the personas' own rates give ~26.
ORDERS_PER_CUSTOMER = 10
# The generator's default chunk (500k customers): about 6 GB at M and L, spent before any timing.
GENERATOR_CHUNK = 500_000
SEED = 42
SEGMENT_FEATURES = ["recency_days", "frequency", "monetary_total", "age", "annual_income"]
FIXED_K_VARS = json.dumps({"n_clusters": 5, "segment_features": SEGMENT_FEATURES, "log_features": "none"})
FIT_NODE = "int_segment_models_fitted"
# The caller's build settings must not leak into the runs: (d) is the default build.
INHERITED_SETTINGS = ("SEGMENTATION_VARS", "SEGMENTATION_CUSTOMERS", "SEGMENTATION_ORDERS", "SEGMENTATION_BUILD_WAIT")


def ensure_data(name: str, customers: int) -> Path:
    """The Parquet inputs of this size, generated on first use into a partial folder renamed when complete."""
    folder = BENCH_DIR / "data" / name
    recipe = {
        "customers": customers,
        "orders_per_customer": ORDERS_PER_CUSTOMER,
        "seed": SEED,
        "chunk_size": GENERATOR_CHUNK,
    }
    marker = folder / "bench_data.json"
    if marker.exists() and json.loads(marker.read_text()) == recipe:
        return folder
    print(f"generating the {name} data ({customers:,} customers) into {folder} (once; it is reused)", flush=True)
    partial = folder.with_name(f".{name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
    command = [sys.executable, str(PROJECT_DIR / "scripts" / "generate_demo_data.py"), "--customers", str(customers)]
    command += ["--format", "parquet", "--seed", str(SEED), "--chunk-size", str(GENERATOR_CHUNK), "--out", str(partial)]
    command += ["--orders-per-customer", str(ORDERS_PER_CUSTOMER)]
    partial.mkdir(parents=True)
    result = measure(command, cwd=PROJECT_DIR, env=dict(os.environ), stdout_path=partial / "generate.log")
    if result.returncode:
        raise SystemExit(f"generating the data failed (exit {result.returncode}): see {partial / 'generate.log'}")
    print(f"generated in {result.wall_seconds:.0f} s, peak {format_bytes(result.peak_rss_bytes)}", flush=True)
    marker.parent.mkdir(parents=True, exist_ok=True)
    (partial / "bench_data.json").write_text(json.dumps(recipe) + "\n")
    partial.rename(folder)
    return folder


def row_count(path: Path) -> int:
    """Rows of a Parquet file, from its footer."""
    return duckdb.sql("select sum(num_rows) from parquet_file_metadata($path)", params={"path": str(path)}).fetchall()[
        0
    ][0]


def machine() -> dict[str, object]:
    """What the figures depend on: cores, memory and library versions."""
    meminfo = Path("/proc/meminfo").read_text().split()
    versions = {name: metadata.version(name) for name in ("duckdb", "scikit-learn", "pandas", "dbt-core", "dbt-duckdb")}
    return {
        "cpu_count": os.cpu_count(),
        "memory_total_bytes": int(meminfo[meminfo.index("MemTotal:") + 1]) * 1024,
        "platform": platform.platform(),
        "python": platform.python_version(),
        **versions,
    }


class Bench:
    """One bench invocation: its inputs, its working folder, and the runs measured so far."""

    def __init__(self, data: Path, workdir: Path) -> None:
        self.customers = data / "raw_customers.parquet"
        self.orders = data / "raw_orders.parquet"
        self.workdir = workdir
        (workdir / "tmp").mkdir()
        environment = {key: value for key, value in os.environ.items() if key not in INHERITED_SETTINGS}
        # TMPDIR: anything a child writes to a temporary file stays in the working folder, deleted at the end.
        self.env = {**environment, "DO_NOT_TRACK": "1", "TMPDIR": str(workdir / "tmp")}

    def labels_path(self, pipeline: str, number: int) -> Path:
        return self.workdir / f"labels-{pipeline}-{number}.parquet"

    def command(self, pipeline: str, number: int) -> tuple[list[str], dict[str, str], Path]:
        """The command line, environment and working folder of one run."""
        if pipeline in "ab":
            script = HERE / ("notebook_pipeline.py" if pipeline == "a" else "floor_pipeline.py")
            arguments = [str(self.customers), str(self.orders), str(self.labels_path(pipeline, number))]
            return [sys.executable, str(script), *arguments], self.env, self.workdir
        database = self.workdir / f"{pipeline}.duckdb"
        env = {
            **self.env,
            "SEGMENTATION_DUCKDB_PATH": str(database),
            "DBT_TARGET_PATH": str(self.workdir / f"target-{pipeline}"),
            "DBT_LOG_PATH": str(self.workdir / f"logs-{pipeline}"),
        }
        command = [sys.executable, str(PROJECT_DIR / "scripts" / "dbt_build.py")]
        command += ["--customers", str(self.customers), "--orders", str(self.orders)]
        command += ["--vars", FIXED_K_VARS] if pipeline == "c" else []
        return command, env, PROJECT_DIR

    def run(self, pipeline: str, number: int) -> dict[str, object]:
        """Run one pipeline once and return its record."""
        database = self.workdir / f"{pipeline}.duckdb"
        for stale in (database, database.with_name(database.name + ".wal")):
            stale.unlink(missing_ok=True)  # every project run is a first build
        command, env, cwd = self.command(pipeline, number)
        log = self.workdir / f"{pipeline}-{number}.log"
        result = measure(command, cwd=cwd, env=env, stdout_path=log)
        record: dict[str, object] = {
            "round": number,
            "pipeline": pipeline,
            "ok": result.returncode == 0,
            "returncode": result.returncode,
            "wall_seconds": result.wall_seconds,
            "peak_rss_bytes": result.peak_rss_bytes,
        }
        if result.returncode:
            record["output_tail"] = log.read_text(errors="replace")[-3000:]
        elif pipeline in "cd":
            record.update(self.project_details(pipeline, database))
            if pipeline == "c":
                record.update(self.agreement(database, number))
        return record

    def project_details(self, pipeline: str, database: Path) -> dict[str, object]:
        """From run_results.json: each node's execution time and dbt's own elapsed time; k from the database."""
        results = json.loads((self.workdir / f"target-{pipeline}" / "run_results.json").read_text())
        nodes = {result["unique_id"].split(".", 2)[-1]: result["execution_time"] for result in results["results"]}
        with duckdb.connect(str(database), read_only=True) as connection:
            k, rule = connection.execute(f"select k, k_rule from {FIT_NODE}").fetchone()
        return {
            "k": k,
            "k_rule": rule,
            "dbt_elapsed_seconds": results["elapsed_time"],
            "fit_seconds": nodes.get(FIT_NODE),
            "nodes": nodes,
        }

    def agreement(self, database: Path, number: int) -> dict[str, object]:
        """(c)'s segments against (b)'s labels of the same round, on their common customers.

        The adjusted Rand index, and each partition's inertia on the same standardised features
        (c's, which equal b's by definition): when they disagree, the lower inertia is the better
        partition, so a single-start (b) stuck in a worse local minimum is told from a wrong (c).
        """
        floor_labels = self.labels_path("b", number)
        if not floor_labels.exists():
            return {"ari": None, "ari_customers": 0}
        columns = ", ".join(SEGMENT_FEATURES)
        with duckdb.connect(str(database), read_only=True) as connection:
            segments = connection.execute(
                f"select cast(customer_id as varchar) as customer_id, segment_id, {columns} from customer_segments"
            ).df()
        floor = pd.read_parquet(floor_labels).astype({"customer_id": str})
        common = floor.merge(segments, on="customer_id")
        if not len(common):
            return {"ari": None, "ari_customers": 0}
        scaled = StandardScaler().fit_transform(common[SEGMENT_FEATURES].astype(float))
        return {
            "ari": adjusted_rand_score(common["label"], common["segment_id"]),
            "ari_customers": len(common),
            "inertia_b": partition_inertia(scaled, common["label"].to_numpy()),
            "inertia_c": partition_inertia(scaled, common["segment_id"].to_numpy()),
        }


def partition_inertia(points: np.ndarray, labels: np.ndarray) -> float:
    """K-Means' objective for a given partition: squared distances of the points to their cluster means."""
    frame = pd.DataFrame(points)
    return float(((frame - frame.groupby(labels).transform("mean")) ** 2).to_numpy().sum())


def progress(record: dict, rounds: int) -> str:
    """One line per run, e.g. `round 2/3  (c) project k=5   41.2 s  2.1 GiB`."""
    where = "warm-up  " if record["round"] == 0 else f"round {record['round']}/{rounds}"
    pipeline = record["pipeline"]
    line = f"{where}  ({pipeline}) {PIPELINES[pipeline]:<25}{record['wall_seconds']:7.1f} s  "
    line += format_bytes(record["peak_rss_bytes"])
    if not record["ok"]:
        line += f"  FAILED (exit {record['returncode']})"
    if "k" in record:
        line += f"  k={record['k']}"
    if record.get("ari") is not None:
        line += f"  ARI vs (b) {agreement_note(record)}"
    return line


def summary(size: str, runs: list[dict]) -> dict[str, object]:
    """Everything the JSON file holds besides the runs: medians, per-round ratios, targets, slowest nodes."""
    rows = round_ratios(runs)
    medians = pipeline_medians(runs)
    ratios = ratio_medians(rows)
    return {
        "medians": medians,
        "round_ratios": rows,
        "ratio_medians": ratios,
        "targets": check_targets(size, medians, ratios),
        "top_nodes": {pipeline: dict(top_nodes(runs, pipeline)) for pipeline in "cd"},
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=tuple(SIZES), default=os.environ.get("SEGMENTATION_BENCH_SIZE") or "S")
    parser.add_argument(
        "--customers", type=int, help="another number of customers (no targets apply), to try the bench"
    )
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds after the warm-up (default 3)")
    args = parser.parse_args(argv)
    if args.size not in SIZES:
        parser.error(f"SIZE must be one of {', '.join(SIZES)}, not {args.size!r}")
    if args.rounds < 1 or (args.customers is not None and args.customers < 10):
        parser.error("--rounds must be at least 1 and --customers at least 10")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    size = args.size if args.customers is None else f"{args.customers}-customers"
    customers = SIZES[args.size] if args.customers is None else args.customers
    data = ensure_data(size, customers)
    started = datetime.now(UTC)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=".run-", dir=BENCH_DIR))
    rows = {
        "customer_rows": row_count(data / "raw_customers.parquet"),
        "order_rows": row_count(data / "raw_orders.parquet"),
    }
    print(f"bench {size}: {rows['customer_rows']:,} customer rows, {rows['order_rows']:,} order rows", flush=True)
    runs: list[dict] = []
    try:
        bench = Bench(data, workdir)
        for number in range(args.rounds + 1):
            for pipeline in PIPELINES:
                record = bench.run(pipeline, number)
                runs.append(record)
                print(progress(record, args.rounds), flush=True)
                if not record["ok"]:
                    print(record["output_tail"], file=sys.stderr)
                if agreement_verdict(record).startswith("WARNING"):
                    print(f"WARNING: (b) and (c) disagree: {agreement_note(record)}", file=sys.stderr)
            for pipeline in "ab":
                bench.labels_path(pipeline, number).unlink(missing_ok=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    result = {
        "size": size,
        "customers": customers,
        "rounds": args.rounds,
        "date_utc": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "data": {"folder": str(data.relative_to(PROJECT_DIR)), **rows},
        "runs": runs,
        **summary(size, runs),
    }
    output = BENCH_DIR / f"{size}-{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    output.write_text(json.dumps(result, indent=2) + "\n")
    print()
    print(format_report(size, runs))
    print(f"\nwrote {output.relative_to(PROJECT_DIR)}")
    return 1 if any(not run["ok"] for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())

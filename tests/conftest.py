"""Shared helpers: where the repo is, and how to run dbt against a throwaway DuckDB file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_MALL_CSV = REPO_ROOT.parent / "shared" / "data" / "mall_customers.csv"
SHARED_PERSONALITY_CSV = REPO_ROOT.parent / "shared" / "data" / "customer_personality.csv"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/e2e/ is e2e, so `make test-fast` (-m "not e2e") can never pick one up,
    even from a new module that forgets its pytestmark."""
    e2e_dir = REPO_ROOT / "tests" / "e2e"
    for item in items:
        if item.path.is_relative_to(e2e_dir):
            item.add_marker(pytest.mark.e2e)


@dataclass(frozen=True)
class DbtRun:
    """The outcome of one dbt invocation."""

    returncode: int
    output: str
    database: Path
    run_results: dict

    def statuses(self) -> dict[str, str]:
        """Node name -> status from run_results.json."""
        return {r["unique_id"]: r["status"] for r in self.run_results.get("results", [])}


def _environment(database: Path) -> dict[str, str]:
    """dbt's environment for a throwaway build: no telemetry, this DuckDB file, this project's src/."""
    return {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "SEGMENTATION_DUCKDB_PATH": str(database),
        "SEGMENTATION_PROJECT_DIR": str(REPO_ROOT),
    }


def run_dbt(
    command: str,
    workdir: Path,
    *,
    vars_yaml: str | None = None,
    database: Path | None = None,
    extra_args: tuple[str, ...] = (),
) -> DbtRun:
    """Run `dbt <command>` on this project with the DuckDB file and dbt artefacts under workdir."""
    workdir.mkdir(parents=True, exist_ok=True)
    database = database or workdir / "segmentation.duckdb"
    env = _environment(database)
    args = [
        str(Path(sys.executable).parent / "dbt"),
        command,
        "--project-dir",
        str(REPO_ROOT),
        "--profiles-dir",
        str(REPO_ROOT),
        "--target-path",
        str(workdir / "target"),
        "--log-path",
        str(workdir / "logs"),
        *extra_args,
    ]
    if vars_yaml:
        args += ["--vars", vars_yaml]
    completed = subprocess.run(args, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False)
    results_path = workdir / "target" / "run_results.json"
    run_results = json.loads(results_path.read_text()) if results_path.exists() else {}
    return DbtRun(completed.returncode, completed.stdout + completed.stderr, database, run_results)


@dataclass(frozen=True)
class BuildRun:
    """The outcome of `scripts/dbt_build.py` (what `make build` runs)."""

    returncode: int
    stdout: str
    stderr: str
    database: Path


BUILD_SCRIPT = REPO_ROOT / "scripts" / "dbt_build.py"


def build_environment(workdir: Path, database: Path) -> dict[str, str]:
    """The build wrapper's environment: this DuckDB file, dbt artefacts under workdir."""
    return {**_environment(database), "DBT_TARGET_PATH": str(workdir / "target"), "DBT_LOG_PATH": str(workdir / "logs")}


def run_build(
    workdir: Path,
    *,
    customers: str | None = None,
    orders: str | None = None,
    vars_yaml: str = "{}",
    database: Path | None = None,
) -> BuildRun:
    """Run the build wrapper with the DuckDB file and dbt artefacts under workdir."""
    workdir.mkdir(parents=True, exist_ok=True)
    database = database or workdir / "segmentation.duckdb"
    env = build_environment(workdir, database)
    args = [sys.executable, str(BUILD_SCRIPT), "--vars", vars_yaml]
    if customers:
        args += ["--customers", customers]
    if orders:
        args += ["--orders", orders]
    completed = subprocess.run(args, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False)
    return BuildRun(completed.returncode, completed.stdout, completed.stderr, database)

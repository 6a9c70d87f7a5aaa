"""The project's own generic data tests (macros/tests) pass on good data and fail on bad data.

The fixture dbt project in ./project loads the real macros and applies each one to data it must
accept (`<macro>_good`) and to data it must reject (`<macro>_bad`, plus edge cases). It is built
once per module; the checks read run_results.json and the failing rows dbt stores in DuckDB.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

HERE = Path(__file__).resolve().parent
PROJECT_DIR = HERE / "project"
MACRO_DIR = HERE.parents[1] / "macros" / "tests"
PROJECT_NAME = "dbt_macros_fixture"
AUDIT_SCHEMA = "main_dbt_test__audit"  # where store_failures writes each failing test's rows

# Every test in the fixture project: expected status and number of failing rows, with the reason.
EXPECTED: dict[str, tuple[str, int]] = {
    # accepted_range on amount = 1, 2, 3, 4, 5 and a null.
    "accepted_range_good": ("pass", 0),  # [1, 5]: bounds are inclusive, the null is ignored
    "accepted_range_bad": ("fail", 2),  # [2, 4]: 1 and 5
    "accepted_range_min_only_good": ("pass", 0),  # >= 1 with no upper bound
    "accepted_range_min_only_bad": ("fail", 3),  # >= 4: 1, 2, 3
    "accepted_range_max_only_bad": ("fail", 2),  # <= 3: 4, 5
    # expression_is_true on (low, high) = (1, 2), (2, 3), (3, null).
    "expression_is_true_good": ("pass", 0),  # low between 1 and 3
    "expression_is_true_bad": ("fail", 2),  # low < 2: rows 2 and 3
    "expression_is_true_null_fails": ("fail", 1),  # low < high is null on row 3
    # equal_row_count: customer_segments has 3 rows.
    "equal_row_count_good": ("pass", 0),  # clean_customers: 3 rows
    "equal_row_count_bad": ("fail", 1),  # raw_customers: 5 rows; one summary row
    "equal_row_count_plus_good": ("pass", 0),  # 3 + 2 not segmented = raw_customers: 5 rows
    "equal_row_count_plus_bad": ("fail", 1),  # 3 + 2 not segmented != clean_customers: 3 rows
    # exactly_one_row: the count of rows, when it is not 1.
    "exactly_one_row_good": ("pass", 0),  # one_row_settings: 1 row
    "exactly_one_row_bad": ("fail", 1),  # customer_segments: 3 rows
    "exactly_one_row_empty_bad": ("fail", 1),  # empty_segment_sizes: no rows is not one row
    # sum_equals_row_count: segment sizes 2 + 1 = 3.
    "sum_equals_row_count_good": ("pass", 0),  # clean_customers: 3 rows
    "sum_equals_row_count_bad": ("fail", 1),  # raw_customers: 5 rows
    "sum_equals_row_count_plus_good": ("pass", 0),  # 3 + 2 not segmented = raw_customers: 5 rows
    "sum_equals_row_count_plus_bad": ("fail", 1),  # 3 + 2 not segmented != clean_customers: 3 rows
    "sum_equals_row_count_empty_good": ("pass", 0),  # empty sizes vs itself: 0 = 0
    "sum_equals_row_count_empty_bad": ("fail", 1),  # empty sizes vs clean_customers: 0 != 3
    # row_counts_reconcile: quarantine holds 2 raw_customers rows and 3 raw_orders rows.
    "row_counts_reconcile_good": ("pass", 0),  # 5 = 3 + 2 (8 if raw_orders rows counted)
    "row_counts_reconcile_bad": ("fail", 1),  # 7 != 2 + 3 (would pass if raw_customers rows counted)
    "row_counts_reconcile_window_good": ("pass", 0),  # 7 = 2 + 3 + 2 clean rows after as_of_date
    "row_counts_reconcile_window_bad": ("fail", 1),  # 7 != 2 + 3 + 3: the quarantined order 14 counted twice
    # sums_to_one on (share, other_share) = (0.25, 0.5), (0.5, 0.4), (0.25, null).
    "sums_to_one_good": ("pass", 0),  # 0.25 + 0.5 + 0.25 = 1
    "sums_to_one_bad": ("fail", 1),  # 0.5 + 0.4 = 0.9, the null ignored; one summary row
    "sums_to_one_grouped_good": ("pass", 0),  # a: 0.5 + 0.5, b: 0.25 + 0.75
    "sums_to_one_grouped_bad": ("fail", 1),  # b: 0.3 + 0.3 = 0.6 (a adds up); one row per failing group
    # rfm_cells_covered_once on two segment maps with inclusive score ranges.
    "rfm_cells_covered_once_good": ("pass", 0),  # M 1-2 and M 3-5 over every R and F
    "rfm_cells_covered_once_bad": ("fail", 3),  # 451 and 551 covered twice, 555 not at all
    # features_in_registry_range against the fixture registry (visits >= 0, score 1-5 not null, share 0-1).
    "features_in_registry_range_good": ("pass", 0),  # bounds inclusive; visits and share may be null
    "features_in_registry_range_bad": ("fail", 3),  # visits -1, score null, share 1.5
}

# The rows each failing test returns (sorted), which show what the macro actually computed.
FAILING_ROWS: dict[str, list[tuple[Any, ...]]] = {
    "accepted_range_bad": [(1,), (5,)],
    "accepted_range_min_only_bad": [(1,), (2,), (3,)],
    "accepted_range_max_only_bad": [(4,), (5,)],
    "expression_is_true_bad": [(2, 2, 3), (3, 3, None)],  # id, low, high
    "expression_is_true_null_fails": [(3, 3, None)],
    "equal_row_count_bad": [(3, 0, 5)],  # model_rows, plus_rows, compare_rows
    "equal_row_count_plus_bad": [(3, 2, 3)],
    "exactly_one_row_bad": [(3,)],  # row_count
    "exactly_one_row_empty_bad": [(0,)],
    "sum_equals_row_count_bad": [(3, 0, 5)],  # column_sum, plus_rows, compare_rows
    "sum_equals_row_count_plus_bad": [(3, 2, 3)],
    "sum_equals_row_count_empty_bad": [(0, 0, 3)],  # an empty sum reads as 0, not null
    # raw_rows, clean_rows, quarantined_rows (raw_orders only), outside_window_rows
    "row_counts_reconcile_bad": [(7, 2, 3, 0)],
    "row_counts_reconcile_window_bad": [(7, 2, 3, 3)],
    "sums_to_one_bad": [(0.9,)],  # the column's sum
    "sums_to_one_grouped_bad": [("b", 0.6)],  # group_key, the group's sum
    "rfm_cells_covered_once_bad": [("451", 2, "A, D"), ("551", 2, "C, D"), ("555", 0, None)],
    "features_in_registry_range_bad": [("score", None), ("share", 1.5), ("visits", -1.0)],  # feature, value
}


@dataclass(frozen=True)
class FixtureBuild:
    """What one `dbt build` of the fixture project left behind."""

    results: dict[str, dict[str, Any]]  # run_results entries by node name
    manifest: dict[str, Any]
    database: Path


def dbt_executable() -> str:
    """The dbt next to the running interpreter (the project venv), else the one on PATH."""
    candidate = Path(sys.executable).parent / "dbt"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("dbt")
    if found is None:
        raise RuntimeError("dbt is not installed in this environment")
    return found


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> FixtureBuild:
    """Run `dbt build` once on the fixture project, writing only into a temp directory."""
    work_dir = tmp_path_factory.mktemp("dbt_macros")
    database = work_dir / "fixture.duckdb"
    target_dir = work_dir / "target"
    env = {**os.environ, "DO_NOT_TRACK": "1", "DBT_MACROS_FIXTURE_DUCKDB_PATH": str(database)}
    # the feature registry macros read <SEGMENTATION_PROJECT_DIR>/seeds/feature_registry.csv: the fixture's
    env["SEGMENTATION_PROJECT_DIR"] = str(PROJECT_DIR)
    command = [
        dbt_executable(),
        "build",
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(target_dir),
        "--log-path",
        str(work_dir / "logs"),
    ]
    # cwd is the temp directory too, so nothing relative can land in the repository.
    completed = subprocess.run(command, cwd=work_dir, env=env, capture_output=True, text=True, timeout=600, check=False)
    output = completed.stdout + completed.stderr
    # Some tests are meant to fail, so dbt exits 1; 2 means it could not run at all.
    assert completed.returncode == 1, f"dbt build exited {completed.returncode}:\n{output}"
    run_results = json.loads((target_dir / "run_results.json").read_text())
    manifest = json.loads((target_dir / "manifest.json").read_text())
    nodes = manifest["nodes"]
    results = {nodes[r["unique_id"]]["name"]: r for r in run_results["results"]}
    return FixtureBuild(results=results, manifest=manifest, database=database)


def test_fixture_data_loaded(build: FixtureBuild) -> None:
    """Every seed and model built, so the test outcomes are about the macros, not the fixture."""
    broken = {
        name: result["status"]
        for name, result in build.results.items()
        if not result["unique_id"].startswith("test.") and result["status"] != "success"
    }
    assert broken == {}


def test_every_macro_is_exercised_both_ways() -> None:
    """Each macro file in macros/tests has a _good and a _bad case in EXPECTED."""
    macros = sorted(path.stem for path in MACRO_DIR.glob("*.sql"))
    assert macros, f"no generic tests found in {MACRO_DIR}"
    for macro in macros:
        assert EXPECTED.get(f"{macro}_good", ("", 0))[0] == "pass", f"{macro} has no passing case"
        assert EXPECTED.get(f"{macro}_bad", ("", 0))[0] == "fail", f"{macro} has no failing case"


def test_fixture_runs_exactly_the_expected_tests(build: FixtureBuild) -> None:
    """The fixture's tests and EXPECTED list the same names, so no case goes unchecked."""
    ran = {name for name, result in build.results.items() if result["unique_id"].startswith("test.")}
    assert ran == set(EXPECTED)


def test_cases_use_the_real_macros(build: FixtureBuild) -> None:
    """Each case calls the macro its name says, loaded from the repository's macros/tests."""
    for node in build.manifest["nodes"].values():
        if node["resource_type"] != "test":
            continue
        macro = node["test_metadata"]["name"]
        assert node["name"].startswith(f"{macro}_"), node["name"]
        source = build.manifest["macros"][f"macro.{PROJECT_NAME}.test_{macro}"]["original_file_path"]
        assert (PROJECT_DIR / source).resolve() == MACRO_DIR / f"{macro}.sql"


@pytest.mark.parametrize(("name", "expected"), sorted(EXPECTED.items()), ids=sorted(EXPECTED))
def test_outcome(build: FixtureBuild, name: str, expected: tuple[str, int]) -> None:
    """The test passes or fails as its data implies, with the expected number of failing rows."""
    result = build.results[name]
    assert (result["status"], result["failures"]) == expected, result.get("message")


@pytest.mark.parametrize(("name", "rows"), sorted(FAILING_ROWS.items()), ids=sorted(FAILING_ROWS))
def test_failing_rows(build: FixtureBuild, name: str, rows: list[tuple[Any, ...]]) -> None:
    """A failing test reports the offending rows, or the counts that do not add up."""
    with duckdb.connect(str(build.database), read_only=True) as connection:
        stored = connection.execute(f'select * from {AUDIT_SCHEMA}."{name}" order by all').fetchall()
    assert stored == rows

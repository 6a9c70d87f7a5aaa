"""The vars registry: one default per var (dbt_project.yml), one spec per var (macros/vars/var_specs.sql),
checked by the on-run-start hook before any model runs, with one line per problem.

Most cases run `dbt run-operation validate_vars` (the hook's macro, no models); two run
`dbt build --select` on one seed to show the hook guards real builds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.conftest import REPO_ROOT, DbtRun, run_dbt

pytestmark = pytest.mark.e2e

PROJECT_VARS = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())["vars"]


def _error_lines(run: DbtRun) -> list[str]:
    """The lines of dbt's compilation error: the message raised by the hook, one per problem."""
    lines = run.output.splitlines()
    start = next(i for i, line in enumerate(lines) if "Compilation Error in" in line)
    messages = []
    for line in lines[start + 1 :]:
        text = line.strip()
        if not text or text.startswith(">"):
            break
        messages.append(text)
    return messages


def _validate(tmp_path: Path, vars_yaml: str) -> DbtRun:
    return run_dbt("run-operation", tmp_path, vars_yaml=vars_yaml, extra_args=("validate_vars",))


def test_unknown_var_gets_a_did_you_mean(tmp_path: Path) -> None:
    run = _validate(tmp_path, "{n_cluster: 5, colour: red}")
    assert run.returncode != 0
    assert _error_lines(run) == [
        "unknown var 'n_cluster': did you mean 'n_clusters'?",
        "unknown var 'colour': not a var of this project (see the README, Configuration)",
    ]


def test_every_out_of_range_value_is_named_with_what_is_expected(tmp_path: Path) -> None:
    """All bad values of one run are reported together, in registry order."""
    run = _validate(
        tmp_path,
        "{n_clusters: 1, k_min: 1, random_seed: -1, silhouette_sample_size: 1, scaler: standart, "
        "log_features: all, skew_threshold: 0, max_rejected_share: 1.5, report_min_cell_size: 0, "
        "as_of_date: '2024-02-30', orders_decimal_separator: ';', report_customer_rows: 'no', currency: 'usd', "
        "customers_columns: {customer_id: 5}, segment_features: ['age; drop table customers']}",
    )
    assert run.returncode != 0
    assert _error_lines(run) == [
        "var customers_columns: expected a mapping of canonical column name to your header, "
        "e.g. {customer_id: \"Cust No\"}, got {'customer_id': 5}",
        "var orders_decimal_separator: expected one of 'auto', '.', ',', got ';'",
        "var max_rejected_share: expected a number from 0 to 1, got 1.5",
        "var as_of_date: expected a date as YYYY-MM-DD, or null for the day after the last clean order, "
        "got '2024-02-30'",
        "var segment_features: 'age; drop table customers' is not a lowercase column name",
        "var n_clusters: expected a whole number: 0 (choose k automatically) or at least 2, got 1",
        "var k_min: expected a whole number of at least 2, got 1",
        "var scaler: expected one of 'standard', 'robust', got 'standart' (did you mean 'standard'?)",
        "var log_features: expected one of 'none', 'money', 'skewed', 'auto', got 'all'",
        "var skew_threshold: expected a number above 0, got 0",
        "var random_seed: expected a whole number from 0 to 4294967295, got -1",
        "var silhouette_sample_size: expected a whole number of at least 2, got 1",
        "var currency: expected a three-letter ISO 4217 currency code in capitals, e.g. USD or EUR, got 'usd'",
        "var report_customer_rows: expected true or false, got 'no'",
        "var report_min_cell_size: expected a whole number of at least 1, got 0",
    ]


def test_wrong_types_and_the_other_ends_of_the_ranges(tmp_path: Path) -> None:
    run = _validate(tmp_path, "{n_clusters: -2, random_seed: 4294967296, k_max: '8', segment_features: [age, age]}")
    assert run.returncode != 0
    assert _error_lines(run) == [
        "var segment_features: a feature is listed twice in ['age', 'age']",
        "var n_clusters: expected a whole number: 0 (choose k automatically) or at least 2, got -2",
        "var k_max: expected a whole number of at least 2, not below k_min, got '8'",
        "var random_seed: expected a whole number from 0 to 4294967295, got 4294967296",
    ]


@pytest.mark.parametrize(
    ("vars_yaml", "message"),
    [
        ("{k_min: 6, k_max: 3}", "var k_max (3) must not be below k_min (6)"),
        ("{fit_sample_threshold: 5}", "var fit_sample_threshold (5) must not be below k_max (10)"),
        (
            "{n_clusters: 12, k_max: 5, fit_sample_threshold: 11}",
            "var n_clusters (12) must not be above fit_sample_threshold (11)",
        ),
        (
            "{log_money: true, log_features: auto}",
            "var log_money (true) conflicts with log_features ('auto'): log_money is deprecated, set only log_features",
        ),
    ],
)
def test_cross_var_rules(tmp_path: Path, vars_yaml: str, message: str) -> None:
    run = _validate(tmp_path, vars_yaml)
    assert run.returncode != 0
    assert _error_lines(run) == [message]


def test_the_hook_stops_a_build_before_anything_runs(tmp_path: Path) -> None:
    run = run_dbt(
        "build",
        tmp_path,
        vars_yaml="{n_cluster: 5}",
        extra_args=("--select", "rejection_reasons", "--indirect-selection", "cautious"),
    )
    assert run.returncode != 0
    assert "Compilation Error in operation customer_segmentation-on-run-start-0" in run.output
    assert _error_lines(run) == ["unknown var 'n_cluster': did you mean 'n_clusters'?"]
    assert not run.run_results  # nothing ran, so dbt wrote no results
    with duckdb.connect(str(run.database)) as connection:
        assert connection.sql("select count(*) from information_schema.tables").fetchall() == [(0,)]


def test_valid_vars_pass_the_hook_and_the_build_runs(tmp_path: Path) -> None:
    """Every kind of var set to a valid non-default value, and YAML's unquoted date."""
    run = run_dbt(
        "build",
        tmp_path,
        vars_yaml="{n_clusters: 4, k_min: 3, k_max: 6, fit_sample_threshold: 6, scaler: robust, log_features: auto, "
        "skew_threshold: 1.5, random_seed: 4294967295, as_of_date: 2024-06-01, segment_features: [age, frequency], "
        "orders_decimal_separator: ',', max_rejected_share: 0, report_customer_rows: true, currency: EUR, "
        "customers_columns: {customer_id: 'Cust No'}, orders_cancellation_prefix: ''}",
        extra_args=("--select", "rejection_reasons", "--indirect-selection", "cautious"),
    )
    assert run.returncode == 0, run.output[-3000:]
    statuses = run.statuses()
    assert statuses["seed.customer_segmentation.rejection_reasons"] == "success"
    assert set(statuses.values()) <= {"success", "pass"}  # the seed and its own tests
    assert "operation.customer_segmentation.customer_segmentation-on-run-start-0" in run.statuses()


def test_log_money_still_works_with_a_deprecation_warning(tmp_path: Path) -> None:
    run = _validate(tmp_path, "{log_money: true}")
    assert run.returncode == 0, run.output[-3000:]
    assert "var log_money is deprecated: use log_features: money" in run.output


def test_registry_defaults_and_readme_agree(tmp_path: Path) -> None:
    """Each var has exactly one default (dbt_project.yml), one spec (var_specs) and a README row."""
    run = run_dbt("run-operation", tmp_path, extra_args=("print_vars", "--args", "{as_json: true}"))
    assert run.returncode == 0, run.output[-3000:]
    registry = json.loads(next(line for line in run.output.splitlines() if line.startswith("{")))
    assert list(registry) == list(PROJECT_VARS)
    assert {name: entry["value"] for name, entry in registry.items()} == PROJECT_VARS
    for name, entry in registry.items():
        assert entry["spec"]["description"], name
    readme = (REPO_ROOT / "README.md").read_text()
    table = readme.split("## Configuration (dbt vars)", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `(\w+)`", table, flags=re.MULTILINE))
    assert documented == set(PROJECT_VARS)

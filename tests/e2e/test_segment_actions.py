"""Business names, value tiers and actions on a real build of the demo (README "Names, value
tiers and actions").

The project is copied so the test can write its own rows into the editable seeds. Three builds
into one database: the demo, the demo again with a business name for segment 4 (and one for an
id the model does not have), then the demo one month later (a retrain that keeps the ids).
Broken seeds are checked with quick `dbt build --select` runs on copies of that database.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.e2e

BUSINESS_SEGMENT = 4
BUSINESS_NAME = "VIP shoppers"
UNKNOWN_SEGMENT = 99
IGNORED = (".git", ".venv", ".tools", "reports", "target", "logs", "build", "docs", "__pycache__", "*.duckdb*")


def _query(database: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(sql).df()


def _environment(project: Path, database: Path, workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "SEGMENTATION_DUCKDB_PATH": str(database),
        "SEGMENTATION_PROJECT_DIR": str(project),
        "DBT_TARGET_PATH": str(workdir / "target"),
        "DBT_LOG_PATH": str(workdir / "logs"),
    }


def _build(project: Path, database: Path, workdir: Path, *inputs: str) -> dict:
    """The copy's build wrapper (what `make build` runs); returns run_results.json."""
    workdir.mkdir(parents=True, exist_ok=True)
    completed = subprocess.run(
        [sys.executable, str(project / "scripts" / "dbt_build.py"), *inputs],
        cwd=project,
        env=_environment(project, database, workdir),
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return json.loads((workdir / "target" / "run_results.json").read_text())


def _dbt_build(project: Path, database: Path, workdir: Path, select: str) -> subprocess.CompletedProcess[str]:
    """`dbt build --select ...` in the copy, on a copy of the database."""
    copied = workdir / "copy.duckdb"
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copy(database, copied)
    args = [str(Path(sys.executable).parent / "dbt"), "build", "--select", select]
    args += ["--project-dir", str(project), "--profiles-dir", str(project)]
    env = {**_environment(project, copied, workdir), "DBT_TARGET_PATH": str(workdir / "target")}
    return subprocess.run(args, cwd=project, env=env, capture_output=True, text=True, check=False)


def _write_overrides(project: Path, rows: list[tuple[int, str, str]]) -> None:
    frame = pd.DataFrame(rows, columns=["segment_id", "segment_name", "note"])
    frame.to_csv(project / "seeds" / "segment_name_overrides.csv", index=False)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    workdir = tmp_path_factory.mktemp("segment_actions")
    project = workdir / "project"
    shutil.copytree(REPO_ROOT, project, ignore=shutil.ignore_patterns(*IGNORED))
    database = workdir / "shop.duckdb"
    _build(project, database, workdir / "plain")
    plain = {
        "profiles": _query(database, "select * from segment_profiles order by segment_id"),
        "model_version": _query(database, "select any_value(model_version) as v from customer_segments")["v"][0],
    }
    _write_overrides(
        project,
        [
            (BUSINESS_SEGMENT, BUSINESS_NAME, "chosen by marketing"),
            (UNKNOWN_SEGMENT, "Ghost segment", "an id this model does not have"),
        ],
    )
    renamed_results = _build(project, database, workdir / "renamed")
    renamed = {
        table: _query(database, f"select * from {table}")
        for table in ("segment_profiles", "segment_value_tiers", "segment_actions", "customer_segments")
    }
    renamed["segment_centroids"] = _query(
        database, "select distinct model_version, segment_id, segment_name from segment_centroids"
    )
    next_month = workdir / "next_month"
    generator = [sys.executable, str(project / "scripts" / "generate_demo_data.py"), "--next-month"]
    subprocess.run([*generator, "--out", str(next_month)], check=True, capture_output=True, cwd=project)
    _build(
        project,
        database,
        workdir / "july",
        "--customers",
        str(next_month / "raw_customers.csv"),
        "--orders",
        str(next_month / "raw_orders.csv"),
    )
    return {
        "project": project,
        "database": database,
        "workdir": workdir,
        "plain": plain,
        "renamed": renamed,
        "renamed_results": renamed_results,
    }


def test_the_business_name_replaces_the_generated_one_in_every_mart(runs: dict) -> None:
    plain, renamed = runs["plain"], runs["renamed"]
    generated = plain["profiles"].set_index("segment_id")["segment_name"][BUSINESS_SEGMENT]
    for table in ("segment_profiles", "segment_value_tiers", "segment_actions"):
        row = renamed[table].set_index("segment_id").loc[BUSINESS_SEGMENT]
        assert row["segment_name"] == BUSINESS_NAME, table
        assert row["generated_segment_name"] == generated, table
        others = renamed[table][renamed[table]["segment_id"] != BUSINESS_SEGMENT]
        assert (others["segment_name"] == others["generated_segment_name"]).all(), table
    members = renamed["customer_segments"]
    assert set(members.loc[members["segment_id"] == BUSINESS_SEGMENT, "segment_name"]) == {BUSINESS_NAME}


def test_renaming_is_not_retraining(runs: dict) -> None:
    """Same data, same vars: the model_version and the model store's names do not move."""
    renamed = runs["renamed"]
    assert set(renamed["customer_segments"]["model_version"]) == {runs["plain"]["model_version"]}
    store = renamed["segment_centroids"]
    current = store[store["model_version"] == runs["plain"]["model_version"]]
    assert BUSINESS_NAME not in set(current["segment_name"])


def test_an_override_for_an_unknown_segment_warns_and_is_ignored(runs: dict) -> None:
    results = runs["renamed_results"]["results"]
    warned = [r for r in results if r["status"] == "warn"]
    assert [r["unique_id"].split(".")[2] for r in warned] == [
        "relationships_segment_name_overrides_segment_id__segment_id__ref_int_segment_names_"
    ]
    assert warned[0]["failures"] == 1
    assert "Ghost segment" not in set(runs["renamed"]["segment_profiles"]["segment_name"])


def test_after_a_retrain_the_matched_segment_keeps_its_business_name(runs: dict) -> None:
    database = runs["database"]
    versions = _query(database, "select model_version from segment_model_runs order by built_at")["model_version"]
    # the demo twice (same model), then the retrain on the next month
    assert versions.tolist()[:2] == [runs["plain"]["model_version"]] * 2 and versions[2] not in set(versions[:2])
    profiles = _query(database, "select * from segment_profiles").set_index("segment_id")
    assert profiles.loc[BUSINESS_SEGMENT, "segment_name"] == BUSINESS_NAME
    members = _query(
        database, f"select distinct segment_name from customer_segments where segment_id = {BUSINESS_SEGMENT}"
    )
    assert members["segment_name"].tolist() == [BUSINESS_NAME]


def test_every_segment_gets_a_tier_and_its_own_action_with_quoted_values(runs: dict) -> None:
    tiers = runs["renamed"]["segment_value_tiers"]
    assert tiers["value_tier"].notna().all()
    top = tiers.loc[tiers["value_index"].idxmax()]
    assert top["value_tier"] == "Top value" and top["revenue_rank"] == 1
    actions = runs["renamed"]["segment_actions"]
    assert len(actions) == len(tiers)
    assert actions["action"].is_unique
    # every reason but the catch-all's quotes at least one measured value "metric = value"
    quoted = actions[actions["rule_id"] != "standard_programme"]["reason"]
    assert quoted.str.contains(r"\(\w+(?: z)? = [+-]?\d", regex=True).all()


def test_a_duplicate_business_name_stops_the_build(runs: dict) -> None:
    project, workdir = runs["project"], runs["workdir"]
    _write_overrides(project, [(1, "Twins", ""), (2, "Twins", "")])
    try:
        run = _dbt_build(project, runs["database"], workdir / "duplicate", "segment_name_overrides int_segment_names")
    finally:
        _write_overrides(project, [])
    assert run.returncode != 0
    results = json.loads((workdir / "duplicate" / "target" / "run_results.json").read_text())["results"]
    failed = [r["unique_id"] for r in results if r["status"] == "fail"]
    assert len(failed) == 1
    assert failed[0].startswith("test.customer_segmentation.unique_int_segment_names_segment_name")


@pytest.mark.parametrize(
    ("rules", "conditions", "message"),
    [
        (
            None,
            "rule_id,metric,operator,threshold,evidence\nstandard_programme,z_recency_dayz,>=,1,typo\n",
            "rule 'standard_programme' tests metric 'z_recency_dayz'",
        ),
        (
            "rule_id,priority,action,reason\nonly,1,Win back,lapsed\n",
            "rule_id,metric,operator,threshold,evidence\nonly,z_recency_days,>=,1,long ago\n",
            "keep one rule without conditions",
        ),
    ],
)
def test_broken_action_rules_stop_the_build_naming_the_rule(
    runs: dict, rules: str | None, conditions: str, message: str
) -> None:
    seeds = runs["project"] / "seeds"
    saved = {name: (seeds / name).read_text() for name in ("segment_action_rules.csv", "segment_action_conditions.csv")}
    if rules is not None:
        (seeds / "segment_action_rules.csv").write_text(rules)
    (seeds / "segment_action_conditions.csv").write_text(conditions)
    try:
        run = _dbt_build(
            runs["project"],
            runs["database"],
            runs["workdir"] / f"broken_{len(conditions)}",
            "segment_action_rules segment_action_conditions segment_actions",
        )
    finally:
        for name, text in saved.items():
            (seeds / name).write_text(text)
    assert run.returncode != 0
    assert message in run.stdout

"""scripts/query.py: the README's way to query the built database (no DuckDB CLI is installed,
and one of another version may not read the file)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO_ROOT

SCRIPT = REPO_ROOT / "scripts" / "query.py"


def _run(sql: str, database: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), sql],
        capture_output=True,
        text=True,
        env={"SEGMENTATION_DUCKDB_PATH": str(database), "PATH": ""},
        check=False,
    )


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "built.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "create table segment_profiles as select * from (values (2, 'Savers', 40), (1, 'Young', 60))"
            " as t(segment_id, segment_name, n_customers)"
        )
    return path


def test_prints_the_rows_in_the_order_asked(database: Path) -> None:
    result = _run("select segment_name, n_customers from segment_profiles order by segment_id", database)
    assert result.returncode == 0, result.stderr
    assert result.stdout.index("Young") < result.stdout.index("Savers")
    assert "n_customers" in result.stdout and "60" in result.stdout


def test_opens_the_file_read_only(database: Path) -> None:
    result = _run("create table written (x integer)", database)
    assert result.returncode == 1
    assert "read-only" in result.stderr.lower()


def test_says_to_build_first_when_there_is_no_database(tmp_path: Path) -> None:
    result = _run("select 1", tmp_path / "missing.duckdb")
    assert result.returncode == 1
    assert "make build" in result.stderr

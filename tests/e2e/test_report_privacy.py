"""The report site publishes no one: built from data whose customer ids are distinctive strings
(`cust-000262@example.test`), no id may appear in any file of the built site unless the dbt var
`report_customer_rows` is true, and the explore grids publish no cell below `report_min_cell_size`.

The demo ids are small integers, which occur everywhere in a site (counts, axis ticks), so
grepping for them would prove nothing: the demo seeds are rewritten with e-mail-like ids first.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO_ROOT, run_build, run_dbt

pytestmark = pytest.mark.e2e

REPORTS_DIR = REPO_ROOT / "reports"
SEEDS_DIR = REPO_ROOT / "seeds"
# Every non-null id becomes e.g. 'cust-000262@example.test'; nulls stay null (quarantined as before).
DISTINCTIVE_ID = "'cust-' || lpad(trim(customer_id), 6, '0') || '@example.test'"


@dataclass(frozen=True)
class Site:
    """A site built into `dist` from `database`."""

    database: Path
    dist: Path


def _query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(sql).fetchall()


def _write_distinctive_inputs(folder: Path) -> tuple[Path, Path]:
    """The demo seeds, every customer id (in customers and in orders) rewritten to a distinctive string."""
    folder.mkdir(parents=True, exist_ok=True)
    outputs = []
    with duckdb.connect() as connection:
        for name in ("raw_customers", "raw_orders"):
            output = folder / f"{name}.csv"
            relation = connection.sql(
                f"select * replace ({DISTINCTIVE_ID} as customer_id) from read_csv($path, all_varchar = true)",
                params={"path": str(SEEDS_DIR / f"{name}.csv")},
            )
            relation.write_csv(str(output))
            outputs.append(output)
    return outputs[0], outputs[1]


def _build_site(database: Path, dist: Path) -> None:
    """`make report` into `dist`, from `database`."""
    node = shutil.which("node")
    assert node, "node is not on PATH: the report site needs Node.js 20+"
    assert (REPORTS_DIR / "node_modules").is_dir(), "reports/node_modules is missing: run `make build` first"
    env = {**os.environ, "SEGMENTATION_DUCKDB_PATH": str(database), "REPORT_OUTPUT_DIR": str(dist)}
    completed = subprocess.run(
        [node, "scripts/build.js"], cwd=REPORTS_DIR, env=env, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, (completed.stdout[-3000:], completed.stderr[-3000:])


def _ids_found(root: Path, ids: set[str]) -> dict[str, set[str]]:
    """For every file under root (or root itself) holding any of the ids: its path -> the ids in it."""
    files = [root] if root.is_file() else sorted(path for path in root.rglob("*") if path.is_file())
    found = {}
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        hits = {customer_id for customer_id in ids if customer_id in text}
        if hits:
            found[str(path.relative_to(root) if root.is_dir() else path.name)] = hits
    return found


def _explore_cells(dist: Path) -> list[dict]:
    """The grid cells the built explore page holds (its data file, as shipped)."""
    [data_file] = (dist / "_file").glob("explore.*.json")
    return json.loads(data_file.read_text())["cells"]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _write_distinctive_inputs(tmp_path_factory.mktemp("inputs"))


@pytest.fixture(scope="module")
def default_site(inputs: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The demo with distinctive ids, built with the default report settings."""
    workdir = tmp_path_factory.mktemp("default")
    customers, orders = inputs
    run = run_build(workdir, customers=str(customers), orders=str(orders))
    assert run.returncode == 0, (run.stdout[-3000:], run.stderr[-3000:])
    # The orders still find their customers after the rewrite: the site has everything to show.
    quality = dict(_query(run.database, "select source_name, clean_rows / raw_rows from data_quality_summary"))
    assert quality["raw_orders"] > 0.9 and quality["raw_customers"] > 0.9, quality
    _build_site(run.database, workdir / "dist")
    return Site(run.database, workdir / "dist")


@pytest.fixture(scope="module")
def internal_site(default_site: Site, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The same data with `report_customer_rows: true` and a minimum cell size of 10."""
    workdir = tmp_path_factory.mktemp("internal")
    database = workdir / "internal.duckdb"
    shutil.copy2(default_site.database, database)
    run = run_dbt(
        "run",
        workdir,
        database=database,
        vars_yaml="{report_customer_rows: true, report_min_cell_size: 10}",
        extra_args=("--select", "report_settings"),
    )
    assert run.returncode == 0, run.output[-3000:]
    _build_site(database, workdir / "dist")
    return Site(database, workdir / "dist")


@pytest.fixture(scope="module")
def customer_ids(default_site: Site, inputs: tuple[Path, Path]) -> set[str]:
    """Every customer id in the database, and every id of the input (quarantined customers too)."""
    in_database = {row[0] for row in _query(default_site.database, "select customer_id from customers")}
    customers_csv, _ = inputs
    with duckdb.connect() as connection:
        in_input = {
            row[0]
            for row in connection.sql(
                "select customer_id from read_csv($path, all_varchar = true) where customer_id is not null",
                params={"path": str(customers_csv)},
            ).fetchall()
        }
    assert len(in_database) > 1000, "the demo should give well over a thousand customers"
    assert in_database <= in_input
    assert all(customer_id.startswith("cust-") and customer_id.endswith("@example.test") for customer_id in in_input)
    return in_database | in_input


def test_the_search_finds_ids_where_they_are(customer_ids: set[str], inputs: tuple[Path, Path]) -> None:
    # Not vacuous: the same search over the input file finds every id it holds.
    customers_csv, _ = inputs
    assert _ids_found(customers_csv, customer_ids) == {customers_csv.name: customer_ids}


def test_default_site_holds_no_customer_id(default_site: Site, customer_ids: set[str]) -> None:
    assert _query(default_site.database, "select report_customer_rows from report_settings") == [(False,)]
    files = [path for path in default_site.dist.rglob("*") if path.is_file()]
    assert len(files) > 20 and any(path.suffix == ".json" for path in files), "the site was not built"
    leaks = _ids_found(default_site.dist, customer_ids)
    assert leaks == {}, {path: sorted(ids)[:3] for path, ids in leaks.items()}


def test_internal_site_lists_the_typical_customers_and_no_one_else(internal_site: Site, customer_ids: set[str]) -> None:
    typical = {
        row[0]
        for row in _query(
            internal_site.database,
            """select customer_id from customer_segments
               qualify row_number() over (partition by segment_id order by distance_to_centroid, customer_id) <= 10""",
        )
    }
    n_segments = _query(internal_site.database, "select count(*) from segment_profiles")[0][0]
    assert len(typical) == 10 * n_segments
    leaks = _ids_found(internal_site.dist, customer_ids)
    assert set().union(*leaks.values()) == typical
    # Only the segment pages' data carries them, ten per segment.
    assert all(path.startswith("_file/segments/") and path.endswith(".json") for path in leaks), sorted(leaks)
    assert sorted(len(ids) for ids in leaks.values()) == [10] * n_segments


@pytest.mark.parametrize(("site_name", "min_cell_size"), [("default_site", 5), ("internal_site", 10)])
def test_explore_publishes_only_cells_of_at_least_the_minimum(
    site_name: str, min_cell_size: int, request: pytest.FixtureRequest
) -> None:
    site: Site = request.getfixturevalue(site_name)
    assert _query(site.database, "select report_min_cell_size from report_settings") == [(min_cell_size,)]
    # The warehouse holds smaller cells too, so the rule has something to remove.
    smaller = f"select count(*) from segment_grid_cells where n_customers < {min_cell_size}"
    assert _query(site.database, smaller)[0][0] > 0
    cells = _explore_cells(site.dist)
    assert min(cell["n_customers"] for cell in cells) >= min_cell_size
    published = f"select grid_name, count(*) from segment_grid_cells where n_customers >= {min_cell_size} group by all"
    assert Counter(cell["grid_name"] for cell in cells) == dict(_query(site.database, published))
    assert set(Counter(cell["grid_name"] for cell in cells)) == {"age_income_spending", "income_spending", "pca"}


@pytest.mark.parametrize(
    ("vars_yaml", "expected"),
    [
        ("{report_customer_rows: maybe}", "var report_customer_rows: expected true or false, got 'maybe'"),
        ("{report_min_cell_size: 0}", "var report_min_cell_size: expected a whole number of at least 1, got 0"),
        ("{report_min_cell_size: five}", "var report_min_cell_size: expected a whole number of at least 1, got 'five'"),
    ],
)
def test_bad_report_var_stops_the_build_naming_it(tmp_path: Path, vars_yaml: str, expected: str) -> None:
    run = run_build(tmp_path, vars_yaml=vars_yaml)
    assert run.returncode != 0
    assert expected in run.stdout + run.stderr, (run.stdout[-2000:], run.stderr[-2000:])
    assert not run.database.exists()

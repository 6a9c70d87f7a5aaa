"""The rejection_reasons seed is the one list of quarantine reasons: every code the staging SQL
can write is in it, and the README's table is the seed, row for row."""

from __future__ import annotations

import csv
import re

from tests.conftest import REPO_ROOT

SEED = REPO_ROOT / "seeds" / "rejection_reasons.csv"


def _seed_codes() -> list[str]:
    with SEED.open() as handle:
        return [row["reason_code"] for row in csv.DictReader(handle)]


def test_every_code_written_by_staging_is_in_the_seed() -> None:
    base = REPO_ROOT / "models" / "staging" / "shop" / "base"
    sql = "".join(path.read_text() for path in base.glob("*.sql"))
    codes = set(re.findall(r"then '([a-z_]+)'", sql))
    # the macros of macros/cleaning/valid_ranges.sql write <prefix>_<column>
    for column, required in re.findall(r"numeric_rejection\('(\w+)',[^)]*?required=([^)]*)\)", sql, flags=re.S):
        codes |= {f"invalid_{column}", f"out_of_range_{column}"}
        if "'false'" not in required:
            codes.add(f"missing_{column}")
    for column in re.findall(r"money_rejection\('(\w+)'", sql):
        codes |= {f"missing_{column}", f"invalid_{column}", f"out_of_range_{column}"}
    assert len(codes) > 20  # the patterns above still find the checks
    unknown = codes - set(_seed_codes())
    assert not unknown, f"codes written by the SQL but missing from {SEED.name}: {sorted(unknown)}"


def test_the_readme_table_is_the_seed() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    table_codes = re.findall(r"^\| `([a-z_]+)` \| (?:both|raw_customers|raw_orders) \|", readme, flags=re.MULTILINE)
    assert table_codes == _seed_codes()

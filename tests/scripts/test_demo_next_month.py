"""The demo one month later (generate_demo_data.py --next-month): every row of the bundled demo kept
byte for byte, and exactly what demo_next_month's docstring and the README say added after it."""

from __future__ import annotations

import filecmp
import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import demo_next_month as next_month
import generate_demo_data as generator
from demo_common import PRODUCT_CATEGORIES
from tests.conftest import REPO_ROOT

SEEDS = REPO_ROOT / "seeds"


def _digests(folder: Path) -> dict[str, str]:
    return {relative: hashlib.sha256((folder / relative).read_bytes()).hexdigest() for relative in next_month.FILES}


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("next_month")
    before = _digests(SEEDS)
    assert generator.main(["--next-month", "--out", str(out)]) == 0
    assert _digests(SEEDS) == before  # the bundled seeds are only read
    return out


def _added(written: Path, relative: str) -> pd.DataFrame:
    return _read(written / relative).iloc[len(_read(SEEDS / relative)) :].reset_index(drop=True)


def test_every_existing_row_is_kept_as_written(written: Path) -> None:
    """Each file is the bundled file's bytes, then new rows only: no customer row or order line changes."""
    for relative in next_month.FILES:
        base = (SEEDS / relative).read_bytes()
        extended = (written / relative).read_bytes()
        assert extended.startswith(base), relative
        assert len(extended) > len(base), relative
        # the same parse as the base for the rows it had, in the same order
        pd.testing.assert_frame_equal(
            _read(written / relative).iloc[: len(_read(SEEDS / relative))], _read(SEEDS / relative)
        )


def test_new_customers_sign_up_during_the_month(written: Path) -> None:
    customers = _added(written, "raw_customers.csv")
    base_ids = pd.to_numeric(_read(SEEDS / "ground_truth" / "customer_personas.csv")["customer_id"])
    assert len(customers) == next_month.NEW_CUSTOMERS == 20
    ids = pd.to_numeric(customers["customer_id"])
    assert ids.tolist() == list(range(int(base_ids.max()) + 1, int(base_ids.max()) + 21))
    signups = pd.to_datetime(customers["signup_date"], format="%Y-%m-%d")
    assert signups.between("2025-07-01", "2025-07-31").all()
    # clean rows: every value readable and in the range the staging checks accept
    assert pd.to_numeric(customers["age"]).between(16, 120).all()
    assert pd.to_numeric(customers["annual_income"]).between(0, 10_000).all()
    assert pd.to_numeric(customers["credit_score"]).between(300, 850).all()
    assert set(customers["gender"]) <= {"Female", "Male"}
    personas = _added(written, "ground_truth/customer_personas.csv")
    assert personas["customer_id"].tolist() == customers["customer_id"].tolist()
    assert set(personas["persona"]) <= {p.name for p in generator.PERSONAS}


def test_new_orders_fill_one_month_after_the_demo(written: Path) -> None:
    orders = _added(written, "raw_orders.csv")
    base = _read(SEEDS / "raw_orders.csv")
    ordered_at = pd.to_datetime(orders["ordered_at"], format="%Y-%m-%d %H:%M:%S")
    assert ordered_at.min() >= pd.Timestamp("2025-07-01") > pd.to_datetime(base["ordered_at"]).max()
    assert ordered_at.max() <= pd.Timestamp("2025-07-31 23:59:59")
    assert ordered_at.is_monotonic_increasing
    first_id = int(pd.to_numeric(base["order_id"]).max()) + 1
    assert pd.to_numeric(orders["order_id"]).tolist() == list(range(first_id, first_id + len(orders)))
    assert (pd.to_numeric(orders["amount"]) >= 1).all()
    assert set(orders["product_category"]) <= set(PRODUCT_CATEGORIES)
    assert set(orders["is_discounted"]) == {"true", "false"}

    personas = _read(written / "ground_truth" / "customer_personas.csv").set_index("customer_id")["persona"]
    assert orders["customer_id"].isin(personas.index).all()  # no unknown customer is added
    new_customers = _added(written, "raw_customers.csv").set_index("customer_id")
    of_new = orders[orders["customer_id"].isin(new_customers.index)]
    of_existing = orders[~orders["customer_id"].isin(new_customers.index)]
    # lapsed customers stay lapsed; every new customer buys at least once, never before signing up
    assert not (personas.loc[of_existing["customer_id"]] == next_month.LAPSED_PERSONA).any()
    assert set(of_new["customer_id"]) == set(new_customers.index)
    signup = pd.to_datetime(new_customers.loc[of_new["customer_id"], "signup_date"]).to_numpy()
    assert (pd.to_datetime(of_new["ordered_at"]).to_numpy() >= signup).all()


def test_existing_customers_buy_at_their_persona_rates(written: Path) -> None:
    """About orders_per_year × 31 / 365 orders per active customer: the month's total is within four
    standard deviations of that Poisson expectation."""
    orders = _added(written, "raw_orders.csv")
    personas = _read(SEEDS / "ground_truth" / "customer_personas.csv")
    rate = {p.name: p.orders_per_year for p in generator.PERSONAS}
    active = personas[personas["persona"] != next_month.LAPSED_PERSONA]
    expected = sum(rate[name] for name in active["persona"]) * 31 / 365
    observed = orders["customer_id"].isin(personas["customer_id"]).sum()
    assert abs(observed - expected) < 4 * np.sqrt(expected)


def test_the_summary_says_what_was_added(written: Path) -> None:
    summary = json.loads((written / next_month.SUMMARY_FILE).read_text())
    orders = _added(written, "raw_orders.csv")
    customers = _added(written, "raw_customers.csv")
    assert summary["month"] == "2025-07"
    assert summary["new_customers"] == len(customers) == 20
    assert summary["new_customer_ids"] == [
        int(customers["customer_id"].iloc[0]),
        int(customers["customer_id"].iloc[-1]),
    ]
    assert summary["new_orders"] == len(orders)
    of_new = int(orders["customer_id"].isin(customers["customer_id"]).sum())
    assert (summary["new_orders_of_new_customers"], summary["new_orders_of_existing_customers"]) == (
        of_new,
        len(orders) - of_new,
    )
    assert summary["new_order_ids"] == [int(orders["order_id"].iloc[0]), int(orders["order_id"].iloc[-1])]


def test_same_seed_same_files_other_seed_other_month(written: Path, tmp_path: Path) -> None:
    next_month.write_next_month(SEEDS, tmp_path / "again", seed=42)
    next_month.write_next_month(SEEDS, tmp_path / "other", seed=7, new_customers=5)
    for relative in (*next_month.FILES, next_month.SUMMARY_FILE):
        assert filecmp.cmp(written / relative, tmp_path / "again" / relative, shallow=False), relative
    assert not filecmp.cmp(written / "raw_orders.csv", tmp_path / "other" / "raw_orders.csv", shallow=False)
    assert len(_added(tmp_path / "other", "raw_customers.csv")) == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", str(SEEDS)], f"--next-month never writes over {SEEDS}: give --out another folder"),
        (["--out", f"{SEEDS}/../seeds"], f"--next-month never writes over {SEEDS}: give --out another folder"),
        (["--format", "parquet", "--out", "/tmp/x"], "--next-month extends the bundled demo's CSV orders"),
    ],
)
def test_never_writes_over_the_bundled_seeds(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _digests(SEEDS)
    with pytest.raises(SystemExit) as stopped:
        generator.main(["--next-month", *args])
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err
    assert _digests(SEEDS) == before


def test_never_writes_over_its_base(tmp_path: Path) -> None:
    base = tmp_path / "base"
    next_month.write_next_month(SEEDS, base, seed=1)
    with pytest.raises(next_month.NextMonthError, match="never writes over"):
        next_month.write_next_month(base, base, seed=1)


def test_the_readme_states_what_the_default_month_adds(written: Path) -> None:
    """The README's figures for seed 42 are the summary's, so the docs cannot drift from the generator."""
    readme = (REPO_ROOT / "README.md").read_text()
    stated = re.search(
        r"- (\d+) new customers \(`--new-customers` changes it\), ids (\d+)–(\d+),.*?"
        r"With seed 42 that is ([\d,]+) orders:\s+([\d,]+) by existing customers and ([\d,]+) by the new ones",
        readme,
        flags=re.S,
    )
    assert stated is not None
    numbers = [int(group.replace(",", "")) for group in stated.groups()]
    summary = json.loads((written / next_month.SUMMARY_FILE).read_text())
    assert numbers == [
        summary["new_customers"],
        *summary["new_customer_ids"],
        summary["new_orders"],
        summary["new_orders_of_existing_customers"],
        summary["new_orders_of_new_customers"],
    ]

"""The demo data generator: deterministic, in sync with the committed seeds, and scalable by chunks."""

from __future__ import annotations

import filecmp
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import generate_demo_data as generator
from tests.conftest import REPO_ROOT

SEEDS = REPO_ROOT / "seeds"


def test_committed_seeds_are_the_generators_output(tmp_path: Path) -> None:
    """`make demo-data` reproduces the bundled seeds byte for byte."""
    generator.main(["--customers", "2000", "--format", "csv", "--out", str(tmp_path)])
    for relative in ("raw_customers.csv", "raw_orders.csv", "ground_truth/customer_personas.csv"):
        assert filecmp.cmp(tmp_path / relative, SEEDS / relative, shallow=False), relative


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        generator.generate(tmp_path / name, 300, "csv", seed, chunk_size=100)
    assert filecmp.cmp(tmp_path / "a" / "raw_orders.csv", tmp_path / "b" / "raw_orders.csv", shallow=False)
    assert not filecmp.cmp(tmp_path / "a" / "raw_orders.csv", tmp_path / "c" / "raw_orders.csv", shallow=False)


def test_parquet_output_in_chunks_has_unique_keys(tmp_path: Path) -> None:
    counts = generator.generate(tmp_path, 2500, "parquet", seed=1, chunk_size=1000)
    with duckdb.connect() as connection:
        personas = connection.sql(
            f"select count(*), count(distinct customer_id) from '{tmp_path}/ground_truth/customer_personas.parquet'"
        ).fetchall()[0]
        orders = connection.sql(
            f"select count(*), count(distinct order_id) from '{tmp_path}/raw_orders.parquet'"
        ).fetchall()[0]
        types = connection.sql(f"describe select * from '{tmp_path}/raw_customers.parquet'").df()
    assert personas == (2500, 2500) == (counts["personas"], counts["personas"])
    # Duplicated orders repeat their id on purpose; every other order id is distinct.
    assert orders[0] == counts["orders"]
    assert orders[1] > 0.97 * orders[0]
    assert set(types["column_type"]) == {"VARCHAR"}


def test_personas_differ_in_what_the_features_measure() -> None:
    """The latent structure is real: persona means differ clearly on demographics and buying."""
    personas = pd.read_csv(SEEDS / "ground_truth" / "customer_personas.csv", dtype=str)
    customers = pd.read_csv(SEEDS / "raw_customers.csv", dtype=str).drop_duplicates("customer_id")
    joined = customers.merge(personas, on="customer_id")
    age = pd.to_numeric(joined["age"], errors="coerce").groupby(joined["persona"]).median()
    income = pd.to_numeric(joined["annual_income"], errors="coerce").groupby(joined["persona"]).median()
    assert set(age.index) == {p.name for p in generator.PERSONAS}
    assert age["young_trendsetter"] < 30 < age["loyal_regular"]
    assert income["affluent_big_spender"] > 1.5 * income["discount_seeker"]


def test_dirty_rows_are_injected() -> None:
    customers = pd.read_csv(SEEDS / "raw_customers.csv", dtype=str, keep_default_na=False)
    orders = pd.read_csv(SEEDS / "raw_orders.csv", dtype=str, keep_default_na=False)
    assert customers.duplicated().sum() > 0
    assert (customers["age"] == "").sum() > 0
    assert (pd.to_numeric(customers["age"], errors="coerce") > 120).sum() > 0
    assert customers["gender"].str.strip().str.lower().isin(["f", "m"]).sum() > 0
    amounts = pd.to_numeric(orders["amount"], errors="coerce")
    assert (amounts < 0).sum() > 0 and (amounts == 0).sum() > 0
    known = set(customers["customer_id"].str.strip())
    assert (~orders["customer_id"].isin(known) & (orders["customer_id"] != "")).sum() > 0


def test_rejects_an_empty_size(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="--customers"):
        generator.generate(tmp_path, 0, "csv", seed=1, chunk_size=10)

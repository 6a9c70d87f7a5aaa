"""Generate the deterministic demo data set: customers, orders and their hidden personas.

The data has real latent structure (six personas that differ in demographics and
buying behaviour) so that the clustering has something true to recover, and a
small documented share of dirty rows so that the cleaning layer has real work.

Usage:
    python scripts/generate_demo_data.py --customers 2000 --format csv --out seeds
    python scripts/generate_demo_data.py --customers 10000000 --format parquet --out /data/big

Outputs, in --out:
    raw_customers.{csv|parquet}    one row per customer record (text columns, dirty)
    raw_orders.{csv|parquet}       one row per order record (text columns, dirty)
    ground_truth/customer_personas.{csv|parquet}
                                   the persona each customer was drawn from; never a feature

The same (--seed, --customers, --chunk-size) always gives byte-identical files.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

# The last day any order can be placed. Fixed so that the data never depends on "today".
DATA_END = datetime(2025, 6, 30, 23, 59, 59)
ORDER_HISTORY_DAYS = 730

PRODUCT_CATEGORIES = ["electronics", "fashion", "home", "beauty", "grocery", "sports", "books", "toys"]
CARD_TYPES = ["visa", "mastercard", "amex", "discover"]
REGIONS = ["North", "South", "East", "West", "Central"]


@dataclass(frozen=True)
class Persona:
    """How one kind of customer looks and buys; each field is a distribution parameter."""

    name: str
    share: float
    age: tuple[float, float]  # mean, sd (years)
    income: tuple[float, float]  # mean, sd (thousands of dollars a year)
    credit: tuple[float, float]  # mean, sd (FICO-style 300-850)
    share_female: float
    card_weights: tuple[float, float, float, float]  # visa, mastercard, amex, discover
    orders_per_year: float
    order_value: float  # median order amount, dollars
    discount_rate: float  # chance an order used a discount
    recency_days: tuple[float, float]  # mean, sd of days between the last order and DATA_END
    tenure_days: tuple[float, float]  # mean, sd of days between signup and DATA_END
    category_weights: tuple[float, ...]  # over PRODUCT_CATEGORIES


PERSONAS: tuple[Persona, ...] = (
    Persona(
        "affluent_big_spender",
        0.15,
        (46, 7),
        (125, 15),
        (785, 25),
        0.45,
        (0.3, 0.2, 0.45, 0.05),
        12,
        240,
        0.05,
        (12, 8),
        (1100, 250),
        (4, 3, 3, 1, 1, 1, 1, 1),
    ),
    Persona(
        "discount_seeker",
        0.20,
        (38, 7),
        (48, 9),
        (650, 35),
        0.65,
        (0.4, 0.45, 0.02, 0.13),
        22,
        28,
        0.75,
        (10, 7),
        (700, 250),
        (1, 2, 2, 2, 5, 1, 1, 2),
    ),
    Persona(
        "young_trendsetter",
        0.15,
        (23, 3),
        (34, 8),
        (615, 35),
        0.55,
        (0.5, 0.4, 0.05, 0.05),
        16,
        80,
        0.20,
        (7, 5),
        (300, 120),
        (3, 5, 1, 4, 1, 2, 1, 1),
    ),
    Persona(
        "infrequent_shopper",
        0.15,
        (52, 8),
        (66, 10),
        (705, 35),
        0.45,
        (0.45, 0.35, 0.1, 0.1),
        2.5,
        65,
        0.20,
        (130, 40),
        (900, 250),
        (2, 2, 3, 1, 2, 2, 3, 1),
    ),
    Persona(
        "loyal_regular",
        0.20,
        (60, 6),
        (76, 10),
        (745, 25),
        0.55,
        (0.45, 0.35, 0.1, 0.1),
        26,
        45,
        0.15,
        (5, 4),
        (1500, 250),
        (1, 1, 3, 2, 4, 1, 3, 1),
    ),
    Persona(
        "lapsed_customer",
        0.15,
        (41, 9),
        (57, 10),
        (680, 35),
        0.5,
        (0.45, 0.4, 0.05, 0.1),
        8,
        55,
        0.25,
        (420, 80),
        (1100, 250),
        (2, 3, 2, 2, 2, 2, 1, 2),
    ),
)

# Dirty-row shares, per generated customer (customers) or per generated order (orders).
DIRTY_SHARES = {
    "customer_exact_duplicate": 0.010,
    "customer_missing_value": 0.005,
    "customer_out_of_range": 0.005,
    "order_exact_duplicate": 0.010,
    "order_refund": 0.010,
    "order_zero_amount": 0.002,
    "order_unknown_customer": 0.005,
    "order_missing_value": 0.002,
}

GENDER_SPELLINGS = {
    "female": ["Female", "female", "F", "f", " Female ", "FEMALE"],
    "male": ["Male", "male", "M", "m", " Male", "MALE "],
}


def _truncated_normal(
    rng: np.random.Generator, mean: np.ndarray, sd: np.ndarray, low: float, high: float
) -> np.ndarray:
    """Normal draws clipped into a plausible range (clipping keeps the generator vectorised)."""
    return np.clip(rng.normal(mean, sd), low, high)


def _persona_params(persona_idx: np.ndarray, field: str) -> tuple[np.ndarray, np.ndarray]:
    table = np.array([getattr(p, field) for p in PERSONAS], dtype=float)
    return table[persona_idx, 0], table[persona_idx, 1]


def _choice_by_row(rng: np.random.Generator, weights: np.ndarray, options: list[str]) -> np.ndarray:
    """Draw one option per row, each row with its own probability vector."""
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    draws = rng.random(len(weights))[:, None]
    picks = np.minimum((draws > cumulative).sum(axis=1), len(options) - 1)
    return np.asarray(options, dtype=object)[picks]


def generate_customers(rng: np.random.Generator, first_id: int, count: int) -> pd.DataFrame:
    """Clean customers with their persona, ids first_id .. first_id + count - 1."""
    shares = np.array([p.share for p in PERSONAS])
    persona_idx = rng.choice(len(PERSONAS), size=count, p=shares / shares.sum())

    age = np.round(_truncated_normal(rng, *_persona_params(persona_idx, "age"), 18, 85)).astype(int)
    income = np.round(_truncated_normal(rng, *_persona_params(persona_idx, "income"), 12, 250), 1)
    credit = np.round(_truncated_normal(rng, *_persona_params(persona_idx, "credit"), 300, 850)).astype(int)
    tenure = np.round(_truncated_normal(rng, *_persona_params(persona_idx, "tenure_days"), 30, 3000)).astype(int)
    recency = np.round(_truncated_normal(rng, *_persona_params(persona_idx, "recency_days"), 0, 700)).astype(int)
    recency = np.minimum(recency, tenure - 1)

    share_female = np.array([p.share_female for p in PERSONAS])[persona_idx]
    is_female = rng.random(count) < share_female
    card_weights = np.array([p.card_weights for p in PERSONAS])[persona_idx]
    signup = np.datetime64(DATA_END.date()) - tenure.astype("timedelta64[D]")

    return pd.DataFrame(
        {
            "customer_id": np.arange(first_id, first_id + count),
            "persona": np.array([p.name for p in PERSONAS], dtype=object)[persona_idx],
            "persona_idx": persona_idx,
            "gender": np.where(is_female, "female", "male"),
            "age": age,
            "annual_income": income,
            "credit_score": credit,
            "card_type": _choice_by_row(rng, card_weights, CARD_TYPES),
            "region": rng.choice(REGIONS, size=count),
            "signup_date": signup,
            "tenure_days": tenure,
            "recency_days": recency,
        }
    )


def generate_orders(rng: np.random.Generator, customers: pd.DataFrame) -> pd.DataFrame:
    """Clean orders: each customer orders at a persona rate inside their active window."""
    persona_idx = customers["persona_idx"].to_numpy()
    rate = np.array([p.orders_per_year for p in PERSONAS])[persona_idx]
    window_end = customers["recency_days"].to_numpy()  # days before DATA_END
    window_start = np.minimum(customers["tenure_days"].to_numpy(), ORDER_HISTORY_DAYS)
    active_days = np.maximum(window_start - window_end, 1)
    # The last order is placed exactly `recency_days` before DATA_END; the rest spread over the window.
    extra = rng.poisson(rate * active_days / 365.0)
    n_orders = 1 + extra

    owner = np.repeat(np.arange(len(customers)), n_orders)
    is_last = np.zeros(len(owner), dtype=bool)
    is_last[np.cumsum(n_orders) - 1] = True
    days_before_end = np.where(
        is_last,
        window_end[owner],
        window_end[owner] + rng.random(len(owner)) * active_days[owner],
    )
    seconds_before_end = np.round(days_before_end * 86400 + rng.integers(0, 86400, len(owner)) * (~is_last))
    ordered_at = np.datetime64(DATA_END) - seconds_before_end.astype("timedelta64[s]")

    order_value = np.array([p.order_value for p in PERSONAS])[persona_idx][owner]
    amount = np.round(order_value * rng.lognormal(0.0, 0.35, len(owner)), 2)
    discount_rate = np.array([p.discount_rate for p in PERSONAS])[persona_idx][owner]
    is_discounted = rng.random(len(owner)) < discount_rate
    amount = np.round(np.where(is_discounted, amount * 0.8, amount), 2)
    category_weights = np.array([p.category_weights for p in PERSONAS], dtype=float)[persona_idx][owner]

    orders = pd.DataFrame(
        {
            "customer_id": customers["customer_id"].to_numpy()[owner],
            "ordered_at": ordered_at,
            "amount": np.maximum(amount, 1.0),
            "product_category": _choice_by_row(rng, category_weights, PRODUCT_CATEGORIES),
            "is_discounted": is_discounted,
        }
    )
    return orders.sort_values(["ordered_at", "customer_id"], kind="stable").reset_index(drop=True)


def _sample_rows(rng: np.random.Generator, n_rows: int, share: float) -> np.ndarray:
    count = round(n_rows * share)
    return np.sort(rng.choice(n_rows, size=min(count, n_rows), replace=False))


def _overwrite_cyclically(frame: pd.DataFrame, rows: np.ndarray, edits: list[tuple[str, str | None]]) -> None:
    """Row i of `rows` gets edit i mod len(edits): (column, new value). One write per edit, not per row."""
    for position, (column, value) in enumerate(edits):
        targets = frame.index[rows[position :: len(edits)]]
        if len(targets):
            frame.loc[targets, column] = value


def to_raw_customers(rng: np.random.Generator, customers: pd.DataFrame) -> pd.DataFrame:
    """Render clean customers as text the way a messy CRM export would, then add dirty rows."""
    n = len(customers)
    # Most rows use the canonical spelling; 30% use a random variant of the same code.
    gender = customers["gender"].map({"female": "Female", "male": "Male"}).to_numpy(dtype=object)
    for code, variants in GENDER_SPELLINGS.items():
        rows = np.flatnonzero((customers["gender"].to_numpy() == code) & (rng.random(n) < 0.3))
        gender[rows] = np.asarray(variants, dtype=object)[rng.integers(0, len(variants), len(rows))]
    card = customers["card_type"].to_numpy(dtype=object).copy()
    messy_card = rng.random(n) < 0.2
    card[messy_card] = [" " + c.upper() + " " if i % 2 else c.title() for i, c in enumerate(card[messy_card])]
    region = customers["region"].to_numpy(dtype=object).copy()
    messy_region = rng.random(n) < 0.1
    region[messy_region] = [r.lower() + "  " for r in region[messy_region]]

    raw = pd.DataFrame(
        {
            "customer_id": customers["customer_id"].astype(str),
            "gender": gender,
            "age": customers["age"].astype(str),
            "annual_income": customers["annual_income"].map(lambda v: f"{v:.1f}"),
            "credit_score": customers["credit_score"].astype(str),
            "card_type": card,
            "region": region,
            "signup_date": pd.to_datetime(customers["signup_date"]).dt.strftime("%Y-%m-%d"),
        }
    )

    missing = _sample_rows(rng, n, DIRTY_SHARES["customer_missing_value"])
    _overwrite_cyclically(raw, missing, [(c, None) for c in ("age", "annual_income", "gender", "credit_score")])
    out_of_range = _sample_rows(rng, n, DIRTY_SHARES["customer_out_of_range"])
    bad_values = [("age", "-3"), ("age", "150"), ("annual_income", "-20.0"), ("age", "0"), ("annual_income", "99999.0")]
    _overwrite_cyclically(raw, out_of_range, bad_values)

    duplicates = raw.iloc[_sample_rows(rng, n, DIRTY_SHARES["customer_exact_duplicate"])]
    raw = pd.concat([raw, duplicates], ignore_index=True)
    order = rng.permutation(len(raw))
    return raw.iloc[order].reset_index(drop=True)


def to_raw_orders(
    rng: np.random.Generator, orders: pd.DataFrame, first_order_id: int, unknown_customer_base: int
) -> pd.DataFrame:
    """Render clean orders as text, then add refunds, duplicates and other dirty rows."""
    n = len(orders)
    refunds = orders.iloc[_sample_rows(rng, n, DIRTY_SHARES["order_refund"])].copy()
    refunds["amount"] = -refunds["amount"]
    delay = rng.integers(1, 20 * 86400, len(refunds)).astype("timedelta64[s]")
    refunds["ordered_at"] = np.minimum(refunds["ordered_at"].to_numpy() + delay, np.datetime64(DATA_END))
    zero = orders.iloc[_sample_rows(rng, n, DIRTY_SHARES["order_zero_amount"])].copy()
    zero["amount"] = 0.0
    unknown = orders.iloc[_sample_rows(rng, n, DIRTY_SHARES["order_unknown_customer"])].copy()
    unknown["customer_id"] = unknown_customer_base + np.arange(len(unknown))

    everything = pd.concat([orders, refunds, zero, unknown], ignore_index=True)
    everything = everything.sort_values(["ordered_at", "customer_id"], kind="stable").reset_index(drop=True)
    raw = pd.DataFrame(
        {
            "order_id": (first_order_id + np.arange(len(everything))).astype(str),
            "customer_id": everything["customer_id"].astype(str),
            "ordered_at": pd.to_datetime(everything["ordered_at"]).dt.strftime("%Y-%m-%d %H:%M:%S"),
            "amount": everything["amount"].map(lambda v: f"{v:.2f}"),
            "product_category": everything["product_category"],
            "is_discounted": np.where(everything["is_discounted"], "true", "false"),
        }
    )
    missing = _sample_rows(rng, len(raw), DIRTY_SHARES["order_missing_value"])
    _overwrite_cyclically(raw, missing, [(c, None) for c in ("amount", "ordered_at", "customer_id")])
    duplicates = raw.iloc[_sample_rows(rng, len(raw), DIRTY_SHARES["order_exact_duplicate"])]
    raw = pd.concat([raw, duplicates], ignore_index=True)
    messy_case = rng.random(len(raw)) < 0.05
    raw.loc[messy_case, "product_category"] = raw.loc[messy_case, "product_category"].str.title() + " "
    return raw.iloc[rng.permutation(len(raw))].reset_index(drop=True)


class _Writer:
    """Appends chunks to one CSV or Parquet file, so 10M customers never sit in memory twice."""

    def __init__(self, path: Path, file_format: str) -> None:
        self.path = path
        self.format = file_format
        self._parquet: pq.ParquetWriter | None = None
        self._started = False
        path.parent.mkdir(parents=True, exist_ok=True)

    def write(self, frame: pd.DataFrame) -> None:
        if self.format == "csv":
            frame.to_csv(
                self.path,
                mode="a" if self._started else "w",
                header=not self._started,
                index=False,
                lineterminator="\n",
            )
        else:
            table = pa.Table.from_pandas(frame, preserve_index=False)
            table = table.cast(pa.schema([pa.field(f.name, pa.string()) for f in table.schema]))
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.path, table.schema, compression="zstd")
            self._parquet.write_table(table)
        self._started = True

    def close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()


def generate(out_dir: Path, n_customers: int, file_format: str, seed: int, chunk_size: int) -> dict[str, int]:
    """Write the three files; returns row counts for the caller to report."""
    if n_customers < 1:
        raise ValueError("--customers must be at least 1")
    suffix = "csv" if file_format == "csv" else "parquet"
    writers = {
        "customers": _Writer(out_dir / f"raw_customers.{suffix}", file_format),
        "orders": _Writer(out_dir / f"raw_orders.{suffix}", file_format),
        "personas": _Writer(out_dir / "ground_truth" / f"customer_personas.{suffix}", file_format),
    }
    counts = dict.fromkeys(writers, 0)
    next_order_id = 1
    unknown_base = n_customers + 1_000_000  # ids that are never real customers
    for chunk_index, first in enumerate(range(1, n_customers + 1, chunk_size)):
        rng = np.random.default_rng([seed, chunk_index])
        size = min(chunk_size, n_customers + 1 - first)
        customers = generate_customers(rng, first, size)
        orders = generate_orders(rng, customers)
        raw_customers = to_raw_customers(rng, customers)
        raw_orders = to_raw_orders(rng, orders, next_order_id, unknown_base + first)
        next_order_id += len(raw_orders)
        personas = customers[["customer_id", "persona"]].astype({"customer_id": str})
        for name, frame in (("customers", raw_customers), ("orders", raw_orders), ("personas", personas)):
            writers[name].write(frame)
            counts[name] += len(frame)
    for writer in writers.values():
        writer.close()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=2000, help="number of customers (default 2000)")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--out", type=Path, default=Path("seeds"), help="output folder (default seeds/)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--chunk-size", type=int, default=500_000, help="customers generated per chunk; bounds memory at scale"
    )
    args = parser.parse_args(argv)
    started = datetime.now()
    counts = generate(args.out, args.customers, args.format, args.seed, args.chunk_size)
    elapsed = (datetime.now() - started).total_seconds()
    print(
        f"wrote {counts['customers']} customer rows, {counts['orders']} order rows, "
        f"{counts['personas']} persona rows to {args.out} in {elapsed:.1f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Generate the deterministic demo data set: customers, orders and their hidden personas.

The data has real latent structure (six personas that differ in demographics and
buying behaviour) so that the clustering has something true to recover, and a
small documented share of dirty rows so that the cleaning layer has real work.

Usage:
    python scripts/generate_demo_data.py --customers 2000 --format csv --out seeds
    python scripts/generate_demo_data.py --customers 10000000 --format parquet --out /data/big
    python scripts/generate_demo_data.py --customers 300 --order-shape lines --out /tmp/lines
    python scripts/generate_demo_data.py --customers 4400 --order-shape lines --style online-retail --out /tmp/uci
    python scripts/generate_demo_data.py --next-month --out /tmp/next-month

--next-month writes the bundled demo (--base, default seeds/) one month later: every row as
written plus July 2025's orders and --new-customers new customers (demo_next_month.py). It never
writes into seeds/ or --base.

Outputs, in --out:
    raw_customers.{csv|parquet}    one row per customer record (text columns, dirty);
                                   not written by --style online-retail (its customers are the CustomerIDs)
    raw_orders.{csv|parquet}       one row per order record (text columns, dirty), or with
                                   --order-shape lines one row per invoice line (demo_lines.py)
    ground_truth/customer_personas.{csv|parquet}
                                   the persona each customer was drawn from; never a feature
    ground_truth/line_summary.json (lines only) what the lines file holds, by plain definitions,
                                   and how many of each dirty case were injected

The same (--seed, --customers, --chunk-size and flags) always gives byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import demo_lines
from demo_common import (
    CANONICAL_TIMESTAMP,
    DATA_END,
    DECIMAL_COMMA_SEPARATOR,
    ORDER_HISTORY_DAYS,
    PRODUCT_CATEGORIES,
    choice_index_by_row,
    sample_rows,
    to_decimal_comma,
)

# Customers per chunk unless --chunk-size says otherwise: 5,000 customers as lines are 0.5-0.6M lines, ~0.7 GB.
DEFAULT_CHUNK_SIZES = {"orders": 500_000, "lines": 5_000}
LINE_SUMMARY_FILE = "line_summary.json"
SIGNUP_DATE_FORMAT = "%Y-%m-%d"
# What --decimal-comma rewrites in the order-level and customer files.
ORDER_DECIMAL_COLUMNS = ("amount",)
ORDER_TIMESTAMP_FORMATS = {"ordered_at": CANONICAL_TIMESTAMP}
CUSTOMER_DECIMAL_COLUMNS = ("annual_income",)

CARD_TYPES = ["visa", "mastercard", "amex", "discover"]
# The bundled demo, which `make demo-data` writes and --next-month only ever reads.
BUNDLED_SEEDS = Path(__file__).resolve().parents[1] / "seeds"
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
    return np.asarray(options, dtype=object)[choice_index_by_row(rng, weights)]


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


def generate_orders(
    rng: np.random.Generator, customers: pd.DataFrame, orders_per_customer: float | None = None
) -> pd.DataFrame:
    """Clean orders: each customer orders at a persona rate inside their active window.

    orders_per_customer scales every persona's rate by one factor so that the expected mean is that
    many orders per customer (at least 1: the last order); personas keep their relative frequency.
    The benchmark uses it to match sizes stated as customers / orders.
    """
    persona_idx = customers["persona_idx"].to_numpy()
    rate = np.array([p.orders_per_year for p in PERSONAS])[persona_idx]
    window_end = customers["recency_days"].to_numpy()  # days before DATA_END
    window_start = np.minimum(customers["tenure_days"].to_numpy(), ORDER_HISTORY_DAYS)
    active_days = np.maximum(window_start - window_end, 1)
    expected_extra = rate * active_days / 365.0
    if orders_per_customer is not None:
        expected_extra = expected_extra * (orders_per_customer - 1) / expected_extra.mean()
    # The last order is placed exactly `recency_days` before DATA_END; the rest spread over the window.
    extra = rng.poisson(expected_extra)
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
            "signup_date": pd.to_datetime(customers["signup_date"]).dt.strftime(SIGNUP_DATE_FORMAT),
        }
    )

    missing = sample_rows(rng, n, DIRTY_SHARES["customer_missing_value"])
    _overwrite_cyclically(raw, missing, [(c, None) for c in ("age", "annual_income", "gender", "credit_score")])
    out_of_range = sample_rows(rng, n, DIRTY_SHARES["customer_out_of_range"])
    bad_values = [("age", "-3"), ("age", "150"), ("annual_income", "-20.0"), ("age", "0"), ("annual_income", "99999.0")]
    _overwrite_cyclically(raw, out_of_range, bad_values)

    duplicates = raw.iloc[sample_rows(rng, n, DIRTY_SHARES["customer_exact_duplicate"])]
    raw = pd.concat([raw, duplicates], ignore_index=True)
    order = rng.permutation(len(raw))
    return raw.iloc[order].reset_index(drop=True)


def to_raw_orders(
    rng: np.random.Generator, orders: pd.DataFrame, first_order_id: int, unknown_customer_base: int
) -> pd.DataFrame:
    """Render clean orders as text, then add refunds, duplicates and other dirty rows."""
    n = len(orders)
    refunds = orders.iloc[sample_rows(rng, n, DIRTY_SHARES["order_refund"])].copy()
    refunds["amount"] = -refunds["amount"]
    delay = rng.integers(1, 20 * 86400, len(refunds)).astype("timedelta64[s]")
    refunds["ordered_at"] = np.minimum(refunds["ordered_at"].to_numpy() + delay, np.datetime64(DATA_END))
    zero = orders.iloc[sample_rows(rng, n, DIRTY_SHARES["order_zero_amount"])].copy()
    zero["amount"] = 0.0
    unknown = orders.iloc[sample_rows(rng, n, DIRTY_SHARES["order_unknown_customer"])].copy()
    unknown["customer_id"] = unknown_customer_base + np.arange(len(unknown))

    everything = pd.concat([orders, refunds, zero, unknown], ignore_index=True)
    everything = everything.sort_values(["ordered_at", "customer_id"], kind="stable").reset_index(drop=True)
    raw = pd.DataFrame(
        {
            "order_id": (first_order_id + np.arange(len(everything))).astype(str),
            "customer_id": everything["customer_id"].astype(str),
            "ordered_at": pd.to_datetime(everything["ordered_at"]).dt.strftime(CANONICAL_TIMESTAMP),
            "amount": everything["amount"].map(lambda v: f"{v:.2f}"),
            "product_category": everything["product_category"],
            "is_discounted": np.where(everything["is_discounted"], "true", "false"),
        }
    )
    missing = sample_rows(rng, len(raw), DIRTY_SHARES["order_missing_value"])
    _overwrite_cyclically(raw, missing, [(c, None) for c in ("amount", "ordered_at", "customer_id")])
    duplicates = raw.iloc[sample_rows(rng, len(raw), DIRTY_SHARES["order_exact_duplicate"])]
    raw = pd.concat([raw, duplicates], ignore_index=True)
    messy_case = rng.random(len(raw)) < 0.05
    raw.loc[messy_case, "product_category"] = raw.loc[messy_case, "product_category"].str.title() + " "
    return raw.iloc[rng.permutation(len(raw))].reset_index(drop=True)


class _Writer:
    """Appends chunks to one CSV or Parquet file, so 10M customers never sit in memory twice."""

    def __init__(self, path: Path, file_format: str, separator: str = ",") -> None:
        self.path = path
        self.format = file_format
        self.separator = separator
        self._parquet: pq.ParquetWriter | None = None
        self._started = False
        path.parent.mkdir(parents=True, exist_ok=True)

    def write(self, frame: pd.DataFrame) -> None:
        if self.format == "csv":
            frame.to_csv(
                self.path,
                sep=self.separator,
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


def _add_counts(total: dict[str, int], more: dict[str, int]) -> None:
    for key, value in more.items():
        total[key] = total.get(key, 0) + int(value)


def generate(
    out_dir: Path,
    n_customers: int,
    file_format: str,
    seed: int,
    chunk_size: int | None = None,
    order_shape: str = "orders",
    style: str = "canonical",
    decimal_comma: bool = False,
    orders_per_customer: float | None = None,
) -> dict[str, int]:
    """Write the files; returns row counts for the caller to report.

    order_shape "orders" (one row per order, the bundled seeds) or "lines" (one row per product
    line, demo_lines); style "canonical" or, for lines, "online-retail"; decimal_comma writes
    `;`-separated CSV with `12,50` and `01.12.2010 08:26`; orders_per_customer rescales the
    persona order rates to that mean (generate_orders).
    """
    if n_customers < 1:
        raise ValueError("--customers must be at least 1")
    if order_shape not in DEFAULT_CHUNK_SIZES:
        raise ValueError(f"--order-shape must be one of {', '.join(DEFAULT_CHUNK_SIZES)}, not {order_shape!r}")
    if style not in demo_lines.STYLES:
        raise ValueError(f"--style must be one of {', '.join(demo_lines.STYLES)}, not {style!r}")
    if style != "canonical" and order_shape != "lines":
        raise ValueError(f"--style {style} writes invoice lines: add --order-shape lines")
    if decimal_comma and file_format != "csv":
        raise ValueError("--decimal-comma is a CSV format: use it with --format csv")
    if orders_per_customer is not None and orders_per_customer < 1:
        raise ValueError("--orders-per-customer must be at least 1 (every customer has a last order)")
    chunk_size = chunk_size or DEFAULT_CHUNK_SIZES[order_shape]
    line_style = demo_lines.STYLES[style]
    suffix = "csv" if file_format == "csv" else "parquet"
    separator = DECIMAL_COMMA_SEPARATOR if decimal_comma else ","
    writers = {
        "orders": _Writer(out_dir / f"raw_orders.{suffix}", file_format, separator),
        "personas": _Writer(out_dir / "ground_truth" / f"customer_personas.{suffix}", file_format),
    }
    if line_style.writes_customers:
        writers["customers"] = _Writer(out_dir / f"raw_customers.{suffix}", file_format, separator)
    counts = dict.fromkeys(writers, 0)
    in_file: dict[str, int] = {}
    injected: dict[str, int] = {}
    next_order_id = 1
    unknown_base = n_customers + 1_000_000  # ids that are never real customers
    for chunk_index, first in enumerate(range(1, n_customers + 1, chunk_size)):
        rng = np.random.default_rng([seed, chunk_index])
        size = min(chunk_size, n_customers + 1 - first)
        customers = generate_customers(rng, first, size)
        orders = generate_orders(rng, customers, orders_per_customer)
        raw_customers = to_raw_customers(rng, customers)
        if order_shape == "orders":
            raw_orders = to_raw_orders(rng, orders, next_order_id, unknown_base + first)
            next_order_id += len(raw_orders)
            order_text = (ORDER_DECIMAL_COLUMNS, ORDER_TIMESTAMP_FORMATS)
        else:
            weights = np.array([p.category_weights for p in PERSONAS], dtype=float)[customers["persona_idx"]]
            lines, chunk_injected = demo_lines.build_lines(
                seed, chunk_index, customers, orders, weights, line_style, unknown_base + first
            )
            raw_orders, invoices = demo_lines.render(lines, next_order_id, line_style)
            next_order_id += invoices
            _add_counts(in_file, demo_lines.summarise(lines))
            _add_counts(injected, chunk_injected)
            order_text = (line_style.decimal_columns, line_style.timestamp_formats)
        if decimal_comma:
            raw_customers = to_decimal_comma(
                raw_customers, CUSTOMER_DECIMAL_COLUMNS, {}, {"signup_date": SIGNUP_DATE_FORMAT}
            )
            raw_orders = to_decimal_comma(raw_orders, *order_text)
        personas = customers[["customer_id", "persona"]].astype({"customer_id": str})
        for name, frame in (("customers", raw_customers), ("orders", raw_orders), ("personas", personas)):
            if name in writers:
                writers[name].write(frame)
                counts[name] += len(frame)
    for writer in writers.values():
        writer.close()
    if order_shape == "lines":
        summary = {
            "style": style,
            "seed": seed,
            "customers": n_customers,
            "shares": {
                **demo_lines.LINE_DIRTY_SHARES,
                "guest_lines": line_style.guest_line_share,
                "unknown_customer_orders": line_style.unknown_customer_share,
            },
            "file": in_file,
            "injected": injected,
        }
        (out_dir / "ground_truth" / LINE_SUMMARY_FILE).write_text(json.dumps(summary, indent=2) + "\n")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=2000, help="number of customers (default 2000)")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--out", type=Path, default=Path("seeds"), help="output folder (default seeds/)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--chunk-size",
        type=int,
        default=None,
        help="customers generated per chunk; bounds memory at scale "
        + ", ".join(f"(default {size:_} for {shape})" for shape, size in DEFAULT_CHUNK_SIZES.items()),
    )
    parser.add_argument(
        "--order-shape",
        choices=tuple(DEFAULT_CHUNK_SIZES),
        default="orders",
        help="orders: one row per order with an amount (default); lines: one row per product line",
    )
    parser.add_argument(
        "--style",
        choices=tuple(demo_lines.STYLES),
        default="canonical",
        help="canonical columns (default), or online-retail: the UCI Online Retail headers and formats (lines only)",
    )
    parser.add_argument(
        "--decimal-comma",
        action="store_true",
        help="CSV separated by ';' with decimal commas (12,50) and European dates (01.12.2010 08:26)",
    )
    parser.add_argument(
        "--orders-per-customer",
        type=float,
        default=None,
        help="scale the personas' order rates to this mean number of orders per customer "
        "(default: the personas' own rates, about 26 orders per customer)",
    )
    parser.add_argument(
        "--next-month",
        action="store_true",
        help="write the demo in --base one month later (July 2025 appended) into --out, which must be another folder",
    )
    parser.add_argument("--base", type=Path, default=BUNDLED_SEEDS, help="--next-month: the demo to extend (seeds/)")
    parser.add_argument(
        "--new-customers",
        type=int,
        default=None,
        help="--next-month: customers who sign up during the month (default 20)",
    )
    args = parser.parse_args(argv)
    if args.chunk_size is not None and args.chunk_size < 1:
        parser.error("--chunk-size must be at least 1")
    if args.next_month:
        if (args.format, args.order_shape, args.style, args.decimal_comma) != ("csv", "orders", "canonical", False):
            parser.error("--next-month extends the bundled demo's CSV orders: drop --format, --order-shape, ...")
        return _next_month(parser, args)
    if args.new_customers is not None:
        parser.error("--new-customers goes with --next-month")
    started = datetime.now()
    try:
        counts = generate(
            args.out,
            args.customers,
            args.format,
            args.seed,
            args.chunk_size,
            order_shape=args.order_shape,
            style=args.style,
            decimal_comma=args.decimal_comma,
            orders_per_customer=args.orders_per_customer,
        )
    except ValueError as error:
        parser.error(str(error))
    elapsed = (datetime.now() - started).total_seconds()
    unit = "line" if args.order_shape == "lines" else "order"
    written = [f"{counts['customers']} customer rows"] if "customers" in counts else []
    written += [f"{counts['orders']} {unit} rows", f"{counts['personas']} persona rows"]
    print(f"wrote {', '.join(written)} to {args.out} in {elapsed:.1f}s")
    return 0


def _next_month(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """--next-month: the base demo plus one month, into --out; never into the bundled seeds."""
    # imported here: demo_next_month builds on this module's personas, so a top-level import would be circular
    import demo_next_month

    new_customers = demo_next_month.NEW_CUSTOMERS if args.new_customers is None else args.new_customers
    try:
        summary = demo_next_month.write_next_month(
            args.base, args.out, args.seed, new_customers, protected=BUNDLED_SEEDS
        )
    except demo_next_month.NextMonthError as error:
        parser.error(str(error))
    print(
        f"wrote the demo of {args.base} plus {summary['month']} to {args.out}: {summary['new_customers']} new "
        f"customers, {summary['new_orders']} new orders (ground_truth/next_month_summary.json)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

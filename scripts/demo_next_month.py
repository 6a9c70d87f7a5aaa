"""The demo one month later: the bundled files with every row kept byte for byte, plus July 2025.

Why: a point-in-time rebuild (`as_of_date`) and a monthly refresh need a second version of the same
shop in which nothing already written changes. The new month is appended, never rewritten:

- orders: existing customers keep buying at their persona's rate (orders_per_year × 31 / 365, a
  Poisson draw per customer), except lapsed customers, who stay lapsed; each new customer places
  a first order on or after their signup day, plus the same Poisson draw for the rest of the month;
- customers: NEW_CUSTOMERS (20 unless told) new customers, drawn from the personas like the
  demo's, ids after the demo's last, each signing up on a day of July 2025;
- every added row is clean (no dirty rows are injected), order ids continue after the demo's
  largest, and the new personas are appended to ground_truth/customer_personas.csv.

Amounts, categories and discounts follow generate_orders. The same base files, seed and count
always give byte-identical files; ground_truth/next_month_summary.json says what was added.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

import generate_demo_data as demo
from demo_common import CANONICAL_TIMESTAMP, DATA_END, PRODUCT_CATEGORIES, choice_index_by_row

MONTH_START = DATA_END + timedelta(seconds=1)  # 2025-07-01 00:00:00
MONTH_END = datetime(2025, 7, 31, 23, 59, 59)
MONTH_DAYS = (MONTH_END.date() - MONTH_START.date()).days + 1
NEW_CUSTOMERS = 20
LAPSED_PERSONA = "lapsed_customer"
# Mixed with --seed so that the month is its own random stream, apart from the demo's chunks.
STREAM = 202507
FILES = ("raw_customers.csv", "raw_orders.csv", "ground_truth/customer_personas.csv")
SUMMARY_FILE = "ground_truth/next_month_summary.json"


class NextMonthError(ValueError):
    """The next month cannot be written as asked; the message says why."""


def _persona_table(field: str) -> dict[str, object]:
    return {p.name: getattr(p, field) for p in demo.PERSONAS}


def _new_customers(rng: np.random.Generator, first_id: int, count: int) -> pd.DataFrame:
    """count customers drawn like the demo's, each signing up on a day of the month."""
    customers = demo.generate_customers(rng, first_id, count)
    offsets = rng.integers(0, MONTH_DAYS, count)
    customers["signup_date"] = np.datetime64(MONTH_START.date()) + offsets.astype("timedelta64[D]")
    return customers


def _orders(rng: np.random.Generator, owners: pd.DataFrame) -> pd.DataFrame:
    """One row per order of owners (customer_id, persona, start): a time after start, within the month."""
    value = owners["persona"].map(_persona_table("order_value")).to_numpy(dtype=float)
    amount = np.round(value * rng.lognormal(0.0, 0.35, len(owners)), 2)
    is_discounted = rng.random(len(owners)) < owners["persona"].map(_persona_table("discount_rate")).to_numpy()
    amount = np.maximum(np.round(np.where(is_discounted, amount * 0.8, amount), 2), 1.0)
    weights = np.array(owners["persona"].map(_persona_table("category_weights")).tolist(), dtype=float)
    start = owners["start"].to_numpy(dtype="datetime64[s]")
    span = (np.datetime64(MONTH_END, "s") - start) // np.timedelta64(1, "s") + 1
    ordered_at = start + (rng.random(len(owners)) * span).astype("int64").astype("timedelta64[s]")
    return pd.DataFrame(
        {
            "customer_id": owners["customer_id"].to_numpy(),
            "ordered_at": ordered_at,
            "amount": amount,
            "product_category": np.asarray(PRODUCT_CATEGORIES, dtype=object)[choice_index_by_row(rng, weights)],
            "is_discounted": is_discounted,
        }
    )


def _owners(rng: np.random.Generator, customers: pd.DataFrame, first_order: bool) -> pd.DataFrame:
    """One row per order to place: a Poisson number per customer over the days each is active."""
    rate = customers["persona"].map(_persona_table("orders_per_year")).to_numpy(dtype=float)
    start = pd.to_datetime(customers["start"]).to_numpy()
    active_days = (np.datetime64(MONTH_END, "s") - start) / np.timedelta64(1, "D")
    extra = rng.poisson(rate * active_days / 365.0)
    # lapsed customers stay lapsed; a new one of that persona places its first order only
    extra[(customers["persona"] == LAPSED_PERSONA).to_numpy()] = 0
    n_orders = extra + (1 if first_order else 0)
    return customers.loc[customers.index.repeat(n_orders), ["customer_id", "persona", "start"]].reset_index(drop=True)


def _check_paths(base_dir: Path, out_dir: Path, protected: Path) -> None:
    """Stop before anything is written when the output would replace the base or the bundled seeds."""
    for keep in {base_dir.resolve(), protected.resolve()}:
        if out_dir.resolve() == keep:
            raise NextMonthError(f"--next-month never writes over {keep}: give --out another folder")
    for relative in FILES:
        if not (base_dir / relative).is_file():
            raise NextMonthError(f"the base demo has no {relative} in {base_dir} (a csv demo: make demo-data)")


def _append(base_file: Path, out_file: Path, rows: pd.DataFrame) -> None:
    """The base file's bytes, then the new rows in its column order: nothing written before can change."""
    text = base_file.read_bytes()
    if not text.endswith(b"\n"):
        raise NextMonthError(f"{base_file} does not end with a newline, so rows cannot be appended")
    header = text.split(b"\n", 1)[0].decode()
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_bytes(text + rows[header.split(",")].to_csv(header=False, index=False, lineterminator="\n").encode())


def write_next_month(
    base_dir: Path, out_dir: Path, seed: int, new_customers: int = NEW_CUSTOMERS, protected: Path | None = None
) -> dict[str, object]:
    """Write the base demo plus July 2025 into out_dir; returns the summary written beside it.

    protected is a folder never written to whatever --out says (the bundled seeds).
    """
    if new_customers < 0:
        raise NextMonthError("--new-customers must be 0 or more")
    _check_paths(base_dir, out_dir, protected or base_dir)
    personas = pd.read_csv(base_dir / FILES[2], dtype=str, keep_default_na=False)
    base_orders = pd.read_csv(base_dir / FILES[1], dtype=str, keep_default_na=False, usecols=["order_id"])
    first_customer_id = int(pd.to_numeric(personas["customer_id"]).max()) + 1
    first_order_id = int(pd.to_numeric(base_orders["order_id"], errors="coerce").max()) + 1
    rng = np.random.default_rng([seed, STREAM])

    existing = personas.assign(start=pd.Timestamp(MONTH_START))
    added = _new_customers(rng, first_customer_id, new_customers)
    joined = added.assign(start=pd.to_datetime(added["signup_date"]))
    orders = pd.concat(
        [_orders(rng, _owners(rng, existing, first_order=False)), _orders(rng, _owners(rng, joined, first_order=True))],
        ignore_index=True,
    )
    orders = orders.sort_values(["ordered_at", "customer_id"], kind="stable").reset_index(drop=True)
    new_ids = set(added["customer_id"].astype(str))
    raw_orders = pd.DataFrame(
        {
            "order_id": (first_order_id + np.arange(len(orders))).astype(str),
            "customer_id": orders["customer_id"].astype(str),
            "ordered_at": pd.to_datetime(orders["ordered_at"]).dt.strftime(CANONICAL_TIMESTAMP),
            "amount": orders["amount"].map(lambda v: f"{v:.2f}"),
            "product_category": orders["product_category"],
            "is_discounted": np.where(orders["is_discounted"], "true", "false"),
        }
    )
    raw_customers = pd.DataFrame(
        {
            "customer_id": added["customer_id"].astype(str),
            "gender": added["gender"].map({"female": "Female", "male": "Male"}),
            "age": added["age"].astype(str),
            "annual_income": added["annual_income"].map(lambda v: f"{v:.1f}"),
            "credit_score": added["credit_score"].astype(str),
            "card_type": added["card_type"],
            "region": added["region"],
            "signup_date": pd.to_datetime(added["signup_date"]).dt.strftime(demo.SIGNUP_DATE_FORMAT),
        }
    )
    new_personas = added[["customer_id", "persona"]].astype({"customer_id": str})
    for relative, rows in zip(FILES, (raw_customers, raw_orders, new_personas), strict=True):
        _append(base_dir / relative, out_dir / relative, rows)

    summary: dict[str, object] = {
        "seed": seed,
        "month": MONTH_START.strftime("%Y-%m"),
        "first_order_at": MONTH_START.strftime(CANONICAL_TIMESTAMP),
        "last_order_at": MONTH_END.strftime(CANONICAL_TIMESTAMP),
        "new_customers": new_customers,
        "new_customer_ids": [first_customer_id, first_customer_id + new_customers - 1] if new_customers else [],
        "new_orders": len(raw_orders),
        "new_orders_of_existing_customers": int((~raw_orders["customer_id"].isin(new_ids)).sum()),
        "new_orders_of_new_customers": int(raw_orders["customer_id"].isin(new_ids).sum()),
        "new_order_ids": [first_order_id, first_order_id + len(raw_orders) - 1] if len(raw_orders) else [],
    }
    (out_dir / SUMMARY_FILE).write_text(json.dumps(summary, indent=2) + "\n")
    return summary

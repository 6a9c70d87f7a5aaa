"""Orders as invoice lines, the shape real shop exports have: one row per product line.

Every order of the order-level generator is split over 1-8 product lines whose totals add up
to the order's amount (to within a cent per item), so spend, frequency and recency per
customer, and therefore the personas, are those of the order-level shape. Line-level dirty
cases are then injected in documented shares, and the lines are written either in the
canonical columns or as the UCI "Online Retail" export (InvoiceNo, StockCode, ...).

Each kind of change draws from its own random stream, so both styles hold the same customer
lines; they differ only in the guest and unknown-customer orders their export implies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from demo_common import (
    CANONICAL_TIMESTAMP,
    DATA_END,
    ORDER_HISTORY_DAYS,
    PRODUCT_CATEGORIES,
    choice_index_by_row,
    sample_rows,
)

MAX_LINES_PER_ORDER = 8
# 1 + Binomial(7, 0.36) lines: 3.5 on average, so 4,400 customers give ~540k lines in the online-retail style.
EXTRA_LINE_PROBABILITY = 0.36
MAX_QUANTITY = 24
PRODUCTS_PER_CATEGORY = 40
# Lines of one order step through their category's products by this stride (coprime with 40): never the same product.
PRODUCT_STRIDE = 7

# Median list price per category, dollars; a line's quantity is its share of the order amount over its product's price.
CATEGORY_LIST_PRICES = {
    "electronics": 25.0,
    "fashion": 15.0,
    "home": 8.0,
    "beauty": 6.0,
    "grocery": 2.5,
    "sports": 12.0,
    "books": 9.0,
    "toys": 7.0,
}
PRODUCT_NOUNS = {
    "electronics": ("USB CABLE", "HEADPHONES", "PHONE CASE", "POWER BANK", "DESK LAMP"),
    "fashion": ("SCARF", "TOTE BAG", "BEANIE HAT", "SOCKS", "HAIR CLIP"),
    "home": ("HANGING HEART T-LIGHT HOLDER", "CERAMIC MUG", "CUSHION COVER", "PHOTO FRAME", "DOORMAT"),
    "beauty": ("HAND CREAM", "LIP BALM", "SOAP BAR", "BATH SALTS", "NAIL FILE"),
    "grocery": ("TEA TIN", "JAM JAR", "BISCUIT BOX", "SPICE SET", "HONEY POT"),
    "sports": ("WATER BOTTLE", "YOGA MAT", "SKIPPING ROPE", "SWEATBAND", "GYM TOWEL"),
    "books": ("NOTEBOOK", "RECIPE BOOK", "DIARY", "STICKER ALBUM", "COLOURING BOOK"),
    "toys": ("SPACEBOY BUILDING BLOCKS", "DOLLY GIRL PUZZLE", "WOODEN TRAIN", "KITE", "SNAKES AND LADDERS"),
}
PRODUCT_VARIANTS = ("WHITE", "RED", "BLUE", "GREEN", "PINK", "BLACK", "VINTAGE", "SET OF 3")
CATALOGUE_SEED = 2010  # the catalogue is the same for every --seed

# The Online Retail file's customers are mostly in the United Kingdom.
COUNTRIES = {
    "United Kingdom": 0.88,
    "Germany": 0.03,
    "France": 0.03,
    "EIRE": 0.02,
    "Spain": 0.01,
    "Netherlands": 0.01,
    "Belgium": 0.01,
    "Switzerland": 0.01,
}

# Dirty line-level cases, as shares of the customer orders or lines they are drawn from.
LINE_DIRTY_SHARES = {
    "line_exact_duplicate": 0.010,  # of customer lines: the whole line written twice
    "cancellation": 0.020,  # of customer orders: a later C-invoice returning 1+ of its lines, negative quantities
    "zero_price": 0.003,  # of customer lines: a free-gift line (same product, price 0) added to that order
    "conflicting_order_id": 0.002,  # of customer orders with 2+ lines: the last line names another customer
    "line_missing_value": 0.002,  # of customer lines: quantity, unit price, timestamp or customer id blank, in turn
}
MESSY_CATEGORY_SHARE = 0.05  # canonical product_category written "Title-case " instead of lowercase

# Random streams per kind of change, so that one kind's share never shifts another's draws.
STREAM_LINES, STREAM_UNKNOWN, STREAM_GUESTS, STREAM_COUNTRIES = 101, 102, 103, 104

US_DATETIME = "%m/%d/%Y %H:%M"  # as written: month, day and hour without leading zeros (6/3/2025 8:05)


@cache
def catalogue() -> pd.DataFrame:
    """The fixed product list: PRODUCTS_PER_CATEGORY products per category, Online-Retail-like codes and names."""
    rng = np.random.default_rng(CATALOGUE_SEED)
    rows = []
    for category_index, category in enumerate(PRODUCT_CATEGORIES):
        for number in range(PRODUCTS_PER_CATEGORY):
            noun = PRODUCT_NOUNS[category][number % len(PRODUCT_NOUNS[category])]
            variant = PRODUCT_VARIANTS[number // len(PRODUCT_NOUNS[category])]
            suffix = "A" if number % 8 == 7 else ""  # some codes carry a letter, like 85123A
            price = CATEGORY_LIST_PRICES[category] * rng.lognormal(0.0, 0.4)
            rows.append((f"{21000 + 100 * category_index + number}{suffix}", category, f"{variant} {noun}", price))
    return pd.DataFrame(rows, columns=["product_id", "product_category", "description", "list_price"])


@dataclass(frozen=True)
class LineStyle:
    """How lines are written: the columns, and the customer mix that kind of export implies."""

    name: str
    guest_line_share: float  # share of all written lines in guest orders (no customer id)
    unknown_customer_share: float  # share of customer orders copied to an id missing from the customers file
    writes_customers: bool
    render: Callable[[pd.DataFrame, np.ndarray], pd.DataFrame] = field(repr=False)
    decimal_columns: tuple[str, ...]
    timestamp_formats: dict[str, str]


def build_lines(
    seed: int,
    chunk_index: int,
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    category_weights: np.ndarray,
    style: LineStyle,
    unknown_customer_base: int,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """The lines of one chunk, dirty cases included, and how many of each case were injected.

    category_weights: one row per customer of the chunk, over PRODUCT_CATEGORIES.
    The frame is numeric (blanks are NaN / NaT); `render` turns it into text.
    """

    def stream(kind: int) -> np.random.Generator:
        return np.random.default_rng([seed, chunk_index, kind])

    customer_index = (orders["customer_id"].to_numpy() - customers["customer_id"].iloc[0]).astype(np.int64)
    countries = stream(STREAM_COUNTRIES).choice(list(COUNTRIES), size=len(customers), p=list(COUNTRIES.values()))
    rng = stream(STREAM_LINES)
    sales = split_orders(rng, orders, category_weights[customer_index])
    sales["country"] = countries[customer_index][sales["order_key"].to_numpy()]
    written, injected = _customer_lines(rng, sales, customers, customer_index)

    n_orders = len(orders)
    next_key = n_orders + injected["cancellation_invoices"]
    unknown = _copies(
        stream(STREAM_UNKNOWN), sales, n_orders, round(n_orders * style.unknown_customer_share), next_key, "unknown"
    )
    unknown["customer_id"] = unknown_customer_base + (unknown["order_key"] - next_key).astype(float)
    next_key += unknown["order_key"].nunique()
    # Guests are a share of all lines: guest = share / (1 - share) x the others, in orders of the average size.
    guest_lines = style.guest_line_share / (1 - style.guest_line_share) * (len(written) + len(unknown))
    guests = _copies(
        stream(STREAM_GUESTS), sales, n_orders, round(guest_lines * n_orders / len(sales)), next_key, "guest"
    )
    guests["customer_id"] = np.nan
    injected |= {
        "unknown_customer_invoices": unknown["order_key"].nunique(),
        "unknown_customer_lines": len(unknown),
        "guest_invoices": guests["order_key"].nunique(),
        "guest_lines": len(guests),
    }
    return pd.concat([written, unknown, guests], ignore_index=True), injected


def _customer_lines(
    rng: np.random.Generator, sales: pd.DataFrame, customers: pd.DataFrame, customer_index: np.ndarray
) -> tuple[pd.DataFrame, dict[str, int]]:
    """The customers' own lines with the line-level dirty cases; cancellations take keys after the orders'."""
    n_orders = len(customer_index)
    gifts = _free_gifts(rng, sales)
    cancellations, returned = _cancellations(rng, sales, n_orders)
    lines = pd.concat([sales, gifts, cancellations], ignore_index=True)
    # Returned lines keep their values, so every cancellation can be traced to what the customer bought.
    traceable = np.zeros(len(lines), dtype=bool)
    traceable[: len(sales)] = returned
    conflicting = _make_conflicting(rng, lines, traceable, customers, customer_index, n_orders)
    missing = _blank_values(rng, lines, traceable)
    lines["messy_category"] = rng.random(len(lines)) < MESSY_CATEGORY_SHARE
    lines = lines.sort_values(["order_key", "seq"], kind="stable")
    lines["line_number"] = lines.groupby("order_key").cumcount() + 1
    duplicates = lines.iloc[sample_rows(rng, len(lines), LINE_DIRTY_SHARES["line_exact_duplicate"])].copy()
    duplicates["is_duplicate"] = True
    injected = {
        "customer_orders": n_orders,
        "customer_order_lines": len(sales),
        "zero_price_lines": len(gifts),
        "cancellation_invoices": cancellations["order_key"].nunique(),
        "cancellation_lines": len(cancellations),
        "conflicting_orders": conflicting,
        "missing_values": missing,
        "exact_duplicate_lines": len(duplicates),
    }
    return pd.concat([lines, duplicates], ignore_index=True), injected


def split_orders(rng: np.random.Generator, orders: pd.DataFrame, category_weights: np.ndarray) -> pd.DataFrame:
    """Spread each order's amount over 1-8 distinct products; the first is the order's own category.

    A line's quantity is its share of the amount over its product's list price and its unit price
    is share / quantity in whole cents, so the order total stays within a cent per item of the amount.
    """
    n_orders = len(orders)
    n_lines = 1 + rng.binomial(MAX_LINES_PER_ORDER - 1, EXTRA_LINE_PROBABILITY, n_orders)
    owner = np.repeat(np.arange(n_orders), n_lines)
    line_index = np.arange(len(owner)) - np.repeat(np.cumsum(n_lines) - n_lines, n_lines)

    codes = pd.Categorical(orders["product_category"], categories=PRODUCT_CATEGORIES).codes
    category = codes.astype(np.int64)[owner]
    others = line_index > 0
    category[others] = choice_index_by_row(rng, category_weights[owner[others]])
    offset = rng.integers(0, PRODUCTS_PER_CATEGORY, n_orders)
    product = category * PRODUCTS_PER_CATEGORY + (offset[owner] + PRODUCT_STRIDE * line_index) % PRODUCTS_PER_CATEGORY

    weight = rng.gamma(2.0, 1.0, len(owner))
    share = orders["amount"].to_numpy()[owner] * weight / np.bincount(owner, weights=weight)[owner]
    quantity = np.clip(np.round(share / catalogue()["list_price"].to_numpy()[product]), 1, MAX_QUANTITY)
    price_cents = np.maximum(np.round(share * 100 / quantity), 1)
    ordered_at = orders["ordered_at"].to_numpy()[owner]
    return pd.DataFrame(
        {
            "order_key": owner,
            "seq": line_index,
            "kind": "sale",
            "product": product,
            "quantity": quantity,
            "price_cents": price_cents,
            "ordered_at": ordered_at,
            "order_time": ordered_at,
            "customer_id": orders["customer_id"].to_numpy()[owner].astype(float),
            "is_discounted": orders["is_discounted"].to_numpy()[owner],
            "line_number": line_index + 1,
            "messy_category": False,
            "is_duplicate": False,
        }
    )


def _free_gifts(rng: np.random.Generator, sales: pd.DataFrame) -> pd.DataFrame:
    """Zero-price lines: one more unit or few of a product the order already pays for."""
    gifts = sales.iloc[sample_rows(rng, len(sales), LINE_DIRTY_SHARES["zero_price"])].copy()
    gifts["kind"] = "gift"
    gifts["seq"] = MAX_LINES_PER_ORDER + gifts["seq"]  # after the paid lines
    gifts["quantity"] = rng.integers(1, 4, len(gifts)).astype(float)
    gifts["price_cents"] = 0.0
    return gifts


def _cancellations(rng: np.random.Generator, sales: pd.DataFrame, first_key: int) -> tuple[pd.DataFrame, np.ndarray]:
    """C-invoices: for a sample of orders, a later invoice returning some of its lines (never more than bought).

    Also returns which sales lines were returned.
    """
    orders = sample_rows(rng, first_key, LINE_DIRTY_SHARES["cancellation"])
    rank = np.full(first_key, -1)
    rank[orders] = np.arange(len(orders))
    line_rank = rank[sales["order_key"].to_numpy()]
    keep = (line_rank >= 0) & ((rng.random(len(sales)) < 0.5) | (sales["seq"].to_numpy() == 0))
    returned = sales[keep].copy()
    returned["quantity"] = -rng.integers(1, returned["quantity"].to_numpy().astype(np.int64) + 1).astype(float)
    delay = rng.integers(3600, 20 * 86400, len(orders)).astype("timedelta64[s]")
    when = np.minimum(returned["ordered_at"].to_numpy() + delay[line_rank[keep]], np.datetime64(DATA_END))
    returned["ordered_at"] = when
    returned["order_time"] = when
    returned["order_key"] = first_key + line_rank[keep]
    returned["kind"] = "cancellation"
    return returned, keep


def _make_conflicting(
    rng: np.random.Generator,
    lines: pd.DataFrame,
    traceable: np.ndarray,
    customers: pd.DataFrame,
    customer_index: np.ndarray,
    n_orders: int,
) -> int:
    """The last paid line of a sample of multi-line orders (none with returns) names another customer of the chunk."""
    if len(customers) < 2:
        return 0
    is_sale = (lines["kind"] == "sale").to_numpy()
    keys = lines["order_key"].to_numpy()
    n_lines = np.bincount(keys[is_sale], minlength=keys.max() + 1)  # per key; 0 for C-invoices
    with_returns = np.bincount(keys[traceable], minlength=keys.max() + 1) > 0
    eligible = np.flatnonzero((n_lines >= 2) & ~with_returns)
    chosen = eligible[sample_rows(rng, len(eligible), LINE_DIRTY_SHARES["conflicting_order_id"])]
    other = (customer_index[chosen] + rng.integers(1, len(customers), len(chosen))) % len(customers)
    last_line = np.flatnonzero(is_sale & (lines["seq"].to_numpy() == n_lines[keys] - 1) & np.isin(keys, chosen))
    by_order = pd.Series(customers["customer_id"].to_numpy()[other].astype(float), index=chosen)
    lines.loc[lines.index[last_line], "customer_id"] = by_order[keys[last_line]].to_numpy()
    return len(chosen)


def _blank_values(rng: np.random.Generator, lines: pd.DataFrame, traceable: np.ndarray) -> int:
    """Blank quantity, unit price, timestamp or customer id of a sample of (not returned) lines, in turn."""
    candidates = np.flatnonzero(~traceable)
    rows = candidates[sample_rows(rng, len(candidates), LINE_DIRTY_SHARES["line_missing_value"])]
    for position, column in enumerate(("quantity", "price_cents", "ordered_at", "customer_id")):
        targets = lines.index[rows[position::4]]
        lines.loc[targets, column] = pd.NaT if column == "ordered_at" else np.nan
    return len(rows)


def _copies(
    rng: np.random.Generator, sales: pd.DataFrame, n_orders: int, count: int, first_key: int, kind: str
) -> pd.DataFrame:
    """`count` whole orders copied under new keys, placed at random times of the history, in random countries."""
    source = rng.integers(0, n_orders, count)
    n_lines = np.bincount(sales["order_key"].to_numpy(), minlength=n_orders)
    starts = np.cumsum(n_lines) - n_lines  # sales are grouped by order, in key order
    owner = np.repeat(np.arange(count), n_lines[source])
    within = np.arange(len(owner)) - np.repeat(np.cumsum(n_lines[source]) - n_lines[source], n_lines[source])
    copies = sales.iloc[starts[source][owner] + within].copy().reset_index(drop=True)
    seconds = rng.integers(0, ORDER_HISTORY_DAYS * 86400, count).astype("timedelta64[s]")
    when = np.datetime64(DATA_END) - seconds[owner]
    copies["ordered_at"] = when
    copies["order_time"] = when
    copies["order_key"] = first_key + owner
    copies["kind"] = kind
    copies["country"] = rng.choice(list(COUNTRIES), size=count, p=list(COUNTRIES.values()))[owner]
    return copies


def number_invoices(lines: pd.DataFrame, first_number: int) -> np.ndarray:
    """Invoice numbers in time order, first_number upwards, shared by cancellations (written C-prefixed)."""
    keys = lines[["order_key", "order_time"]].drop_duplicates("order_key").sort_values(["order_time", "order_key"])
    number = pd.Series(first_number + np.arange(len(keys)), index=keys["order_key"].to_numpy())
    return number[lines["order_key"].to_numpy()].to_numpy()


def summarise(lines: pd.DataFrame) -> dict[str, int]:
    """What the written file holds, by plain definitions a reader can recompute from the text alone.

    Computed from the numbers before rendering, so a test that parses the file checks the rendering.
    """
    sale = (lines["kind"] != "cancellation").to_numpy()
    known = lines["customer_id"].notna().to_numpy()
    priced = (lines["quantity"].notna() & lines["price_cents"].notna()).to_numpy()
    revenue_cents = (lines["quantity"].to_numpy()[priced] * lines["price_cents"].to_numpy()[priced]).sum()
    customers_per_order = lines[known].groupby("order_key")["customer_id"].nunique()
    return {
        "lines": len(lines),
        "sales_invoices": lines.loc[sale, "order_key"].nunique(),
        "cancellation_invoices": lines.loc[~sale, "order_key"].nunique(),
        "customers_with_purchases": lines.loc[sale & known, "customer_id"].nunique(),
        "net_revenue_cents": round(float(revenue_cents)),
        "negative_quantity_lines": int((lines["quantity"] < 0).sum()),
        "zero_price_lines": int((lines["price_cents"] == 0).sum()),
        "blank_customer_lines": int((~known).sum()),
        "invoices_with_two_customers": int((customers_per_order > 1).sum()),
    }


def _text(values: np.ndarray, spelling: Callable[[float], str]) -> np.ndarray:
    return np.array([None if np.isnan(v) else spelling(v) for v in values], dtype=object)


def _invoice_ids(lines: pd.DataFrame, numbers: np.ndarray) -> pd.Series:
    prefix = pd.Series(np.where(lines["kind"] == "cancellation", "C", ""), index=lines.index)
    return prefix + pd.Series(numbers, index=lines.index).astype(str)


def render_canonical(lines: pd.DataFrame, numbers: np.ndarray) -> pd.DataFrame:
    """Canonical line columns; amount is quantity x unit_price and is not written."""
    products = catalogue().iloc[lines["product"].to_numpy()]
    category = products["product_category"].to_numpy(dtype=object).copy()
    messy = lines["messy_category"].to_numpy()
    category[messy] = [c.title() + " " for c in category[messy]]
    return pd.DataFrame(
        {
            "order_id": _invoice_ids(lines, numbers),
            "line_number": lines["line_number"].astype(int).astype(str),
            "product_id": products["product_id"].to_numpy(),
            "product_category": category,
            "quantity": _text(lines["quantity"].to_numpy(), lambda v: str(int(v))),
            "unit_price": _text(lines["price_cents"].to_numpy(), lambda v: f"{v / 100:.2f}"),
            "ordered_at": pd.to_datetime(lines["ordered_at"]).dt.strftime(CANONICAL_TIMESTAMP),
            "customer_id": _text(lines["customer_id"].to_numpy(), lambda v: str(int(v))),
            "is_discounted": np.where(lines["is_discounted"], "true", "false"),
        },
        index=lines.index,
    )


def _us_datetime(values: pd.Series) -> pd.Series:
    """M/D/YYYY H:MM, month, day and hour without leading zeros, as the Online Retail CSV has them."""
    when = pd.to_datetime(values)
    valid = when.notna()
    valid_when = when[valid]
    text = (
        valid_when.dt.month.astype(str)
        + "/"
        + valid_when.dt.day.astype(str)
        + "/"
        + valid_when.dt.year.astype(str)
        + " "
        + valid_when.dt.hour.astype(str)
        + valid_when.dt.strftime(":%M")
    )
    out = pd.Series(None, index=values.index, dtype=object)
    out[valid] = text
    return out


def render_online_retail(lines: pd.DataFrame, numbers: np.ndarray) -> pd.DataFrame:
    """The UCI Online Retail export: its headers, US timestamps, customer ids as floats (17850.0)."""
    products = catalogue().iloc[lines["product"].to_numpy()]
    return pd.DataFrame(
        {
            "InvoiceNo": _invoice_ids(lines, numbers),
            "StockCode": products["product_id"].to_numpy(),
            "Description": products["description"].to_numpy(),
            "Quantity": _text(lines["quantity"].to_numpy(), lambda v: str(int(v))),
            "InvoiceDate": _us_datetime(lines["ordered_at"]),
            # A float as pandas writes it: 2.1, 0.85, 0.0 (no trailing zeros).
            "UnitPrice": _text(lines["price_cents"].to_numpy(), lambda v: repr(float(v) / 100)),
            "CustomerID": _text(lines["customer_id"].to_numpy(), lambda v: f"{int(v)}.0"),
            "Country": lines["country"].to_numpy(),
        },
        index=lines.index,
    )


STYLES: dict[str, LineStyle] = {
    "canonical": LineStyle(
        "canonical",
        guest_line_share=0.005,
        unknown_customer_share=0.005,
        writes_customers=True,
        render=render_canonical,
        decimal_columns=("unit_price",),
        timestamp_formats={"ordered_at": CANONICAL_TIMESTAMP},
    ),
    "online-retail": LineStyle(
        "online-retail",
        guest_line_share=0.25,
        unknown_customer_share=0.0,
        writes_customers=False,
        render=render_online_retail,
        decimal_columns=("UnitPrice", "CustomerID"),
        timestamp_formats={"InvoiceDate": US_DATETIME},
    ),
}


def render(lines: pd.DataFrame, first_number: int, style: LineStyle) -> tuple[pd.DataFrame, int]:
    """The chunk's lines as text in the style, sorted like an export (invoice, then line); and invoices used."""
    numbers = number_invoices(lines, first_number)
    ordered = np.lexsort((lines["is_duplicate"].to_numpy(), lines["line_number"].to_numpy(), numbers))
    text = style.render(lines.iloc[ordered].reset_index(drop=True), numbers[ordered])
    return text, lines["order_key"].nunique()

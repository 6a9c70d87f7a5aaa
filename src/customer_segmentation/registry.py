"""The feature registry: seeds/feature_registry.csv, the one definition of each candidate feature.

The same file is read by the SQL models (macros/features/feature_registry.sql) and, through
the feature_definitions mart, by the report site; this module is the Python side. It holds
what the package needs to know about a feature: which input shapes default to it, whether
the log option may transform it, and the words of a segment name. The file is found beside
dbt_project.yml (SEGMENTATION_PROJECT_DIR, see project.py), and its order is the
order every default feature list keeps.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from customer_segmentation.project import project_dir


class RegistryError(ValueError):
    """The registry file cannot be read as the package needs it; the message names the row or column."""


INPUT_SHAPES = ("demographics_and_orders", "demographics_only", "orders_only")
INPUTS = ("customers", "orders", "customers_or_orders")
LOG_KINDS = ("money", "count")


@dataclass(frozen=True)
class Feature:
    """One registry row, as the Python package uses it."""

    name: str
    label: str
    unit: str
    input: str  # customers, orders, or customers_or_orders (given by customers, else derived)
    default_for: tuple[str, ...]  # input shapes whose `auto` default includes it
    log_kind: str | None  # money or count: the log option may transform it; None: never logged
    min_value: float | None
    max_value: float | None
    nullable: bool
    name_below: str  # segment-name word for a centroid below the mean
    name_above: str
    summary_below: str  # comparative: lower than another segment ("lower income", "younger")
    summary_above: str


def registry_file() -> Path:
    """seeds/feature_registry.csv of the project whose dbt_project.yml config.py reads."""
    return project_dir() / "seeds" / "feature_registry.csv"


def _optional_number(text: str) -> float | None:
    return float(text) if text.strip() else None


def _parse_bool(column: str, text: str) -> bool:
    value = text.strip().lower()
    if value not in ("true", "false"):
        raise RegistryError(f"feature registry: {column} must be true or false, got {text!r}")
    return value == "true"


def _check(name: str, column: str, values: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise RegistryError(f"feature registry: {name}: {column} {unknown} is not in {list(allowed)}")


def parse_row(row: dict[str, str]) -> Feature:
    """One CSV row as a Feature; a value the code could misread stops with the row and column named."""
    name = row["feature_name"].strip()
    default_for = tuple(row["default_for"].split())
    log_kind = row["log_kind"].strip() or None
    _check(name, "default_for", default_for, INPUT_SHAPES)
    _check(name, "input", (row["input"],), INPUTS)
    _check(name, "log_kind", (log_kind,) if log_kind else (), LOG_KINDS)
    return Feature(
        name=name,
        label=row["label"],
        unit=row["unit"],
        input=row["input"],
        default_for=default_for,
        log_kind=log_kind,
        min_value=_optional_number(row["min_value"]),
        max_value=_optional_number(row["max_value"]),
        nullable=_parse_bool("nullable", row["nullable"]),
        name_below=row["name_below"],
        name_above=row["name_above"],
        summary_below=row["summary_below"],
        summary_above=row["summary_above"],
    )


def read_registry(path: Path) -> tuple[Feature, ...]:
    """Every feature of a registry file, in file order; duplicate or missing names are errors."""
    if not path.is_file():
        raise RegistryError(f"cannot read the feature registry: {path} does not exist; set SEGMENTATION_PROJECT_DIR")
    with path.open(newline="", encoding="utf-8") as handle:
        features = tuple(parse_row(row) for row in csv.DictReader(handle))
    names = [f.name for f in features]
    if not names or "" in names or len(set(names)) != len(names):
        raise RegistryError(f"feature registry {path}: every row needs a feature_name, each name once; got {names}")
    return features


@cache
def features() -> tuple[Feature, ...]:
    """The project's registry (read once per process)."""
    return read_registry(registry_file())


def feature_names() -> tuple[str, ...]:
    """Every candidate feature's name, in registry order."""
    return tuple(f.name for f in features())


def by_name() -> dict[str, Feature]:
    """The registry keyed by feature name."""
    return {f.name: f for f in features()}


def default_features(shape: str) -> tuple[str, ...]:
    """The `segment_features: auto` default of one input shape, in registry order."""
    if shape not in INPUT_SHAPES:
        raise ValueError(f"unknown input shape {shape!r}; expected one of {list(INPUT_SHAPES)}")
    return tuple(f.name for f in features() if shape in f.default_for)

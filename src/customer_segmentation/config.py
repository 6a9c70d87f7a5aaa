"""Segmentation settings, from the dbt vars that reach the Python model through its meta.

Nothing about a var is defined here. Each default is read from the `vars:` block of
dbt_project.yml, the one place it is written, and the type and range of every var are
checked by dbt's on-run-start hook (macros/vars/validate_vars.sql) before any model runs.
This module only turns the values dbt renders into typed fields; the checks that remain in
Python depend on the data (columns present, enough customers: pipeline.validate_features).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from customer_segmentation import registry
from customer_segmentation.project import project_file

# segment_features value that picks the default features for the data's shape (see features.py).
AUTO_FEATURES = "auto"
# The algorithms segmentation_algorithm may name (macros/vars/var_specs.sql validates the var first).
ALGORITHMS = ("kmeans", "gmm", "agglomerative")


class ConfigError(ValueError):
    """A var has a value the segmentation cannot use; the message names the var."""


@cache
def project_var_defaults() -> dict[str, Any]:
    """The `vars:` block of dbt_project.yml: every var's default, as dbt reads it."""
    path = project_file()
    if not path.is_file():
        raise ConfigError(f"cannot read the var defaults: {path} does not exist; set SEGMENTATION_PROJECT_DIR")
    return dict(yaml.safe_load(path.read_text())["vars"])


def _default(name: str) -> Any:
    return project_var_defaults()[name]


@dataclass(frozen=True)
class SegmentationConfig:
    """Everything that decides the fitted model; two equal configs on equal data give equal segments."""

    features: tuple[str, ...]
    algorithm: str = _default("segmentation_algorithm")  # kmeans | gmm | agglomerative
    n_clusters: int = _default("n_clusters")  # 0 = choose k automatically
    k_min: int = _default("k_min")
    k_max: int = _default("k_max")
    scaler: str = _default("scaler")
    log_features: str = _default("log_features")
    skew_threshold: float = float(_default("skew_threshold"))
    random_seed: int = _default("random_seed")
    n_init: int = 10  # K-Means restarts: a fixed choice, not a var
    silhouette_sample_size: int = _default("silhouette_sample_size")
    fit_sample_threshold: int = _default("fit_sample_threshold")
    # How far (scaled units) a centroid may move and still be the previous run's segment.
    match_max_distance: float = float(_default("segment_match_max_distance"))
    # Ward's seeded sample (agglomerative): its distance matrix is O(n^2), like the comparison's.
    ward_sample_size: int = _default("comparison_sample_size")

    def __post_init__(self) -> None:
        if not self.features:
            raise ConfigError("segment_features: at least one feature is required")
        if self.algorithm not in ALGORITHMS:
            raise ConfigError(f"segmentation_algorithm: expected one of {list(ALGORITHMS)}, got {self.algorithm!r}")

    @property
    def log_candidates(self) -> tuple[str, ...]:
        """Features log_features may transform: money, counts and money, or none (auto then tests skewness).

        A feature's kind is its log_kind in the feature registry: money and counts have long
        right tails that let a few customers dominate a scaled distance; durations, ages, scores
        and shares are bounded by the data's time span or their scales, so they are never logged.
        """
        kinds = {"none": (), "money": ("money",), "skewed": ("money", "count"), "auto": ("money", "count")}
        if self.log_features not in kinds:
            raise ConfigError(f"log_features: expected one of {sorted(kinds)}, got {self.log_features!r}")
        registered = registry.by_name()
        return tuple(f for f in self.features if f in registered and registered[f].log_kind in kinds[self.log_features])

    @classmethod
    def from_meta(cls, meta: Mapping[str, Any]) -> SegmentationConfig:
        """Build from a dbt model's config meta; values may arrive typed or rendered as text."""
        values: dict[str, Any] = {"features": _parse_features(meta.get("segment_features"))}
        for name in ("n_clusters", "k_min", "k_max", "random_seed", "silhouette_sample_size", "fit_sample_threshold"):
            raw = meta.get(name)
            if not _is_unset(raw):
                values[name] = parse_int(name, raw)
        raw_ward = meta.get("comparison_sample_size")
        if not _is_unset(raw_ward):
            values["ward_sample_size"] = parse_int("comparison_sample_size", raw_ward)
        for name in ("scaler", "log_features", "segmentation_algorithm"):
            raw = meta.get(name)
            if not _is_unset(raw):
                values["algorithm" if name == "segmentation_algorithm" else name] = str(raw).strip().lower()
        raw_threshold = meta.get("skew_threshold")
        if not _is_unset(raw_threshold):
            values["skew_threshold"] = _parse_number("skew_threshold", raw_threshold)
        raw_distance = meta.get("segment_match_max_distance")
        if not _is_unset(raw_distance):
            values["match_max_distance"] = _parse_number("segment_match_max_distance", raw_distance)
        return cls(**values)


def parse_share(name: str, raw: Any) -> float:
    """A share var (e.g. max_rejected_share) as a number from 0 to 1; the message names the var."""
    text = str(raw).strip()
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"{name}: expected a number from 0 to 1, got {raw!r}") from None
    if not 0 <= value <= 1:
        raise ConfigError(f"{name}: expected a number from 0 to 1, got {raw!r}")
    return value


def _is_unset(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() in ("", "None", "null"))


def parse_int(name: str, raw: Any) -> int:
    """A whole-number var, typed or as the text dbt renders; the message names the var."""
    if isinstance(raw, bool):
        raise ConfigError(f"{name}: expected a whole number, got {raw!r}")
    if isinstance(raw, int):
        return raw
    text = str(raw).strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ConfigError(f"{name}: expected a whole number, got {raw!r}")
    return int(text)


def _parse_number(name: str, raw: Any) -> float:
    if isinstance(raw, bool):
        raise ConfigError(f"{name}: expected a number, got {raw!r}")
    try:
        return float(raw)
    except ValueError as error:
        raise ConfigError(f"{name}: expected a number, got {raw!r}") from error


def _parse_features(raw: Any) -> tuple[str, ...]:
    """Accept a list, or the text dbt renders for one ("['age', 'annual_income']")."""
    if _is_unset(raw):
        raise ConfigError("segment_features: no features given")
    value = raw
    if isinstance(raw, str):
        text = raw.strip()
        try:
            value = ast.literal_eval(text) if text.startswith(("[", "(")) else text.split(",")
        except (ValueError, SyntaxError) as error:
            raise ConfigError(f"segment_features: cannot read {raw!r} as a list of column names") from error
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"segment_features: expected a list of column names, got {raw!r}")
    return tuple(v.strip().lower() for v in value if v.strip())

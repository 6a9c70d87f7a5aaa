"""Segmentation settings, parsed from dbt vars and checked before any work starts.

dbt renders vars into a Python model's config meta as strings, so every field is
parsed from text here and a wrong value fails early with the var's name in the message.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SCALERS = ("standard", "robust")
# segment_features value that picks the default features for the data's shape (see features.py).
AUTO_FEATURES = "auto"
# Money columns are right-skewed; `log_money` compresses them before scaling.
MONEY_FEATURES = ("annual_income", "monetary_total", "avg_order_value")
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


class ConfigError(ValueError):
    """A var has a value the segmentation cannot use; the message names the var."""


@dataclass(frozen=True)
class SegmentationConfig:
    """Everything that decides the fitted model; two equal configs on equal data give equal segments."""

    features: tuple[str, ...]
    n_clusters: int = 0  # 0 = choose k automatically
    k_min: int = 2
    k_max: int = 10
    scaler: str = "standard"
    log_money: bool = False
    random_seed: int = 42
    n_init: int = 10
    silhouette_sample_size: int = 10_000
    fit_sample_threshold: int = 100_000

    def __post_init__(self) -> None:
        if not self.features:
            raise ConfigError("segment_features: at least one feature is required")
        for feature in self.features:
            if not _IDENTIFIER.match(feature):
                raise ConfigError(f"segment_features: {feature!r} is not a lowercase column name")
        if len(set(self.features)) != len(self.features):
            raise ConfigError(f"segment_features: duplicate feature in {list(self.features)}")
        if self.scaler not in SCALERS:
            raise ConfigError(f"scaler: expected one of {SCALERS}, got {self.scaler!r}")
        if self.n_clusters < 0 or self.n_clusters == 1:
            raise ConfigError(f"n_clusters: expected 0 (automatic) or at least 2, got {self.n_clusters}")
        if self.k_min < 2:
            raise ConfigError(f"k_min: expected at least 2, got {self.k_min}")
        if self.k_max < self.k_min:
            raise ConfigError(f"k_max ({self.k_max}) must not be below k_min ({self.k_min})")
        if self.n_init < 1:
            raise ConfigError(f"n_init: expected at least 1, got {self.n_init}")
        if self.silhouette_sample_size < 2:
            raise ConfigError(f"silhouette_sample_size: expected at least 2, got {self.silhouette_sample_size}")
        if self.fit_sample_threshold < 2:
            raise ConfigError(f"fit_sample_threshold: expected at least 2, got {self.fit_sample_threshold}")

    @property
    def log_features(self) -> tuple[str, ...]:
        """Features that get a signed log1p before scaling."""
        return tuple(f for f in self.features if self.log_money and f in MONEY_FEATURES)

    @classmethod
    def from_meta(cls, meta: Mapping[str, Any]) -> SegmentationConfig:
        """Build from a dbt model's config meta, where every var arrives rendered as text."""
        defaults = cls.__dataclass_fields__
        values: dict[str, Any] = {"features": _parse_features(meta.get("segment_features"))}
        for name in (
            "n_clusters",
            "k_min",
            "k_max",
            "random_seed",
            "n_init",
            "silhouette_sample_size",
            "fit_sample_threshold",
        ):
            raw = meta.get(name)
            values[name] = defaults[name].default if _is_unset(raw) else _parse_int(name, raw)
        raw_scaler = meta.get("scaler")
        values["scaler"] = "standard" if _is_unset(raw_scaler) else str(raw_scaler).strip().lower()
        raw_log = meta.get("log_money")
        values["log_money"] = False if _is_unset(raw_log) else _parse_bool("log_money", raw_log)
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
    return raw is None or (isinstance(raw, str) and raw.strip() in ("", "None", "none", "null"))


def _parse_int(name: str, raw: Any) -> int:
    if isinstance(raw, bool):
        raise ConfigError(f"{name}: expected a whole number, got {raw!r}")
    if isinstance(raw, int):
        return raw
    text = str(raw).strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ConfigError(f"{name}: expected a whole number, got {raw!r}")
    return int(text)


def _parse_bool(name: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise ConfigError(f"{name}: expected true or false, got {raw!r}")


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

"""SegmentationConfig: dbt renders every var as text; good text parses, bad text fails naming the var."""

from __future__ import annotations

from typing import Any

import pytest

from customer_segmentation.config import ConfigError, SegmentationConfig


def test_from_meta_parses_the_strings_dbt_renders() -> None:
    """List, int and bool vars arrive as their Python repr and become typed values."""
    config = SegmentationConfig.from_meta(
        {
            "segment_features": "['age', 'annual_income']",
            "n_clusters": "5",
            "k_min": "3",
            "k_max": "8",
            "scaler": "robust",
            "log_money": "True",
            "random_seed": "7",
            "silhouette_sample_size": "500",
            "fit_sample_threshold": "2000",
        }
    )
    assert config == SegmentationConfig(
        features=("age", "annual_income"),
        n_clusters=5,
        k_min=3,
        k_max=8,
        scaler="robust",
        log_money=True,
        random_seed=7,
        silhouette_sample_size=500,
        fit_sample_threshold=2000,
    )
    assert config.log_features == ("annual_income",)


def test_from_meta_treats_none_and_missing_as_defaults() -> None:
    """ "None", empty text and absent keys fall back to the dataclass defaults."""
    config = SegmentationConfig.from_meta(
        {
            "segment_features": "age, spending_score",
            "n_clusters": "None",
            "k_min": "",
            "scaler": "None",
            "log_money": "None",
        }
    )
    assert config.features == ("age", "spending_score")
    assert (config.n_clusters, config.k_min, config.k_max) == (0, 2, 10)
    assert config.scaler == "standard"
    assert config.log_money is False
    assert config.log_features == ()


@pytest.mark.parametrize(("text", "expected"), [("False", False), ("false", False), ("true", True), ("1", True)])
def test_from_meta_parses_log_money(text: str, expected: bool) -> None:
    """Both capitalisations that Jinja and YAML produce are accepted."""
    config = SegmentationConfig.from_meta({"segment_features": "['annual_income']", "log_money": text})
    assert config.log_money is expected


def test_from_meta_accepts_real_python_values() -> None:
    """A meta that was not rendered to text (plain list and int) also works."""
    config = SegmentationConfig.from_meta({"segment_features": ["Age", "frequency"], "n_clusters": 3})
    assert config.features == ("age", "frequency")
    assert config.n_clusters == 3


@pytest.mark.parametrize(
    ("meta", "var"),
    [
        ({"n_clusters": "five"}, "n_clusters"),
        ({"n_clusters": "1"}, "n_clusters"),
        ({"n_clusters": "-2"}, "n_clusters"),
        ({"k_min": "6", "k_max": "4"}, "k_min"),
        ({"k_min": "1"}, "k_min"),
        ({"scaler": "minmax"}, "scaler"),
        ({"log_money": "maybe"}, "log_money"),
        ({"random_seed": "4.2"}, "random_seed"),
        ({"segment_features": "x; drop table customers"}, "segment_features"),
        ({"segment_features": "['age', 'x; drop table customers']"}, "segment_features"),
        ({"segment_features": "['age', 'age']"}, "segment_features"),
        ({"segment_features": "[]"}, "segment_features"),
        ({"segment_features": "None"}, "segment_features"),
        ({"segment_features": "['age'"}, "segment_features"),
    ],
)
def test_from_meta_rejects_bad_values_naming_the_var(meta: dict[str, Any], var: str) -> None:
    """Each unusable value raises ConfigError whose message starts with, or names, the var."""
    full = {"segment_features": "['age', 'annual_income']", **meta}
    with pytest.raises(ConfigError, match=var):
        SegmentationConfig.from_meta(full)


def test_k_min_above_k_max_names_both_vars() -> None:
    """The range error mentions both ends, so the user knows which two vars disagree."""
    with pytest.raises(ConfigError) as error:
        SegmentationConfig.from_meta({"segment_features": "['age']", "k_min": "6", "k_max": "4"})
    assert "k_min" in str(error.value)
    assert "k_max" in str(error.value)


def test_config_error_is_a_value_error() -> None:
    """Callers catching ValueError also catch configuration problems."""
    with pytest.raises(ValueError, match="n_clusters"):
        SegmentationConfig(features=("age",), n_clusters=1)

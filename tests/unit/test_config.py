"""SegmentationConfig: values as dbt renders them become typed fields; every default comes from dbt_project.yml.

The type and range of each var are checked by dbt's on-run-start hook (tests/e2e/test_vars.py);
here only the Python side: parsing, the defaults' single source, and the log_features mapping.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml

from customer_segmentation import config as config_module
from customer_segmentation import registry
from customer_segmentation.config import ConfigError, SegmentationConfig, project_var_defaults

REPO_ROOT = Path(__file__).resolve().parents[2]
PROJECT_VARS = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())["vars"]


def test_from_meta_parses_the_strings_dbt_renders() -> None:
    """List, int and number vars arrive as their Python repr and become typed values."""
    config = SegmentationConfig.from_meta(
        {
            "segment_features": "['age', 'annual_income']",
            "n_clusters": "5",
            "k_min": "3",
            "k_max": "8",
            "scaler": "robust",
            "log_features": "auto",
            "skew_threshold": "1.5",
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
        log_features="auto",
        skew_threshold=1.5,
        random_seed=7,
        silhouette_sample_size=500,
        fit_sample_threshold=2000,
    )


def test_from_meta_accepts_the_typed_values_dbt_passes() -> None:
    """dbt 1.11 renders meta natively: lists, ints and floats arrive as such."""
    config = SegmentationConfig.from_meta(
        {"segment_features": ["Age", "frequency"], "n_clusters": 3, "skew_threshold": 2.0, "log_features": "none"}
    )
    assert (config.features, config.n_clusters, config.skew_threshold, config.log_features) == (
        ("age", "frequency"),
        3,
        2.0,
        "none",
    )


def test_defaults_are_the_vars_of_dbt_project_yml() -> None:
    """Every var default the config uses is the one written in dbt_project.yml, not a copy."""
    config = SegmentationConfig.from_meta({"segment_features": "age", "n_clusters": "None", "k_min": ""})
    for field in dataclasses.fields(SegmentationConfig):
        if field.name in PROJECT_VARS:
            assert getattr(config, field.name) == PROJECT_VARS[field.name], field.name
    # auto logs no feature of the demo or Mall (none is skewed past 2.0), so their partitions stay
    assert config.log_features == "auto"
    assert project_var_defaults() == PROJECT_VARS


def test_defaults_follow_segmentation_project_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With SEGMENTATION_PROJECT_DIR set the defaults are read from that project; a missing one is a clear error."""
    (tmp_path / "dbt_project.yml").write_text(yaml.safe_dump({"name": "other", "vars": {"k_max": 7}}))
    monkeypatch.setenv("SEGMENTATION_PROJECT_DIR", str(tmp_path))
    project_var_defaults.cache_clear()
    try:
        assert config_module.project_var_defaults() == {"k_max": 7}
        monkeypatch.setenv("SEGMENTATION_PROJECT_DIR", str(tmp_path / "missing"))
        project_var_defaults.cache_clear()
        with pytest.raises(ConfigError, match=r"var defaults: .*missing/dbt_project.yml does not exist"):
            project_var_defaults()
    finally:
        monkeypatch.undo()
        project_var_defaults.cache_clear()


@pytest.mark.parametrize(
    ("log_features", "expected"),
    [
        ("none", ()),
        ("money", ("annual_income", "monetary_total", "avg_order_value")),
        ("skewed", ("annual_income", "frequency", "monetary_total", "avg_order_value")),
        ("auto", ("annual_income", "frequency", "monetary_total", "avg_order_value")),
    ],
)
def test_log_candidates_are_the_count_and_money_features(log_features: str, expected: tuple[str, ...]) -> None:
    """Ages, scores, shares and durations are never log candidates; feature order is kept."""
    features = ("age", "annual_income", "spending_score", "recency_days", "frequency", "monetary_total")
    features += ("avg_order_value", "discount_share", "tenure_days")
    config = SegmentationConfig(features=features, log_features=log_features)
    assert config.log_candidates == expected
    assert {registry.by_name()[f].log_kind for f in expected} <= {"money", "count"}


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ({"n_clusters": "five"}, "n_clusters: expected a whole number, got 'five'"),
        ({"random_seed": "4.2"}, "random_seed: expected a whole number, got '4.2'"),
        ({"k_max": True}, "k_max: expected a whole number, got True"),
        ({"skew_threshold": "high"}, "skew_threshold: expected a number, got 'high'"),
        ({"segment_features": "None"}, "segment_features: no features given"),
        ({"segment_features": "[]"}, "segment_features: at least one feature is required"),
        ({"segment_features": "['age'"}, "segment_features: cannot read \"['age'\" as a list of column names"),
        ({"segment_features": "[1, 2]"}, "segment_features: expected a list of column names, got '[1, 2]'"),
    ],
)
def test_from_meta_rejects_text_it_cannot_parse(meta: dict[str, Any], message: str) -> None:
    """Values the hook would have stopped still fail here by name if the model is ever run without it."""
    with pytest.raises(ConfigError) as error:
        SegmentationConfig.from_meta({"segment_features": "['age', 'annual_income']", **meta})
    assert str(error.value) == message


def test_unknown_log_features_mode_is_an_error() -> None:
    """The mode dispatch has no silent fallback."""
    with pytest.raises(ConfigError, match="log_features: expected one of"):
        _ = SegmentationConfig(features=("frequency",), log_features="all").log_candidates


def test_config_error_is_a_value_error() -> None:
    """Callers catching ValueError also catch configuration problems."""
    with pytest.raises(ValueError, match="segment_features"):
        SegmentationConfig(features=())

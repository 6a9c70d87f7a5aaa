"""The feature registry (seeds/feature_registry.csv): its Python reader, and a drift guard.

Adding a feature must be one registry row plus the SQL that computes it. The guard fails when
the SQL that computes the features, the properties files, the not_segmented_reasons seed or
the report's figures disagree with the registry, or when a source file outside the few that
must name features writes out a list of them again.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pytest
import yaml

from customer_segmentation import registry
from customer_segmentation.features import DEFAULT_FEATURES, shape_columns
from tests.conftest import REPO_ROOT

REGISTRY = REPO_ROOT / "seeds" / "feature_registry.csv"
HEADER = (
    "feature_name,label,description,unit,input,default_for,log_kind,min_value,max_value,nullable,"
    "display_format,display_digits,average_digits,missing_reason,name_below,name_above,summary_below,summary_above"
)

# Files that name several features on purpose, each for a reason of its own; any other source
# file that names three or more registered features is a list the registry should replace.
NAMING_FEATURES_ON_PURPOSE = {
    # compute the features: "the SQL that computes it"
    "models/intermediate/int_customers_rfm_scored.sql",
    "models/intermediate/int_customers_features_joined.sql",
    # the RFM mart publishes its own subset, with the RFM scores
    "models/marts/customer_rfm.sql",
    # RFM scores are about exactly these three measures, whatever the segmentation uses
    "models/marts/customer_rfm_scores.sql",
    "models/marts/rfm_score_thresholds.sql",
    "reports/src/rfm.md",
    # why a feature has no value: the input columns each customers feature is read from
    "models/intermediate/int_customers_features_summarized.sql",
    # the income x spending and age x income x spending grids are about these three features
    "models/marts/segment_grid_cells.sql",
    "reports/src/explore.md",
    "reports/src/explore.json.sql",
    # the input columns of the customers file, which share their names with the features read
    # from them (their valid ranges are the registry's, through macros/cleaning/valid_ranges.sql)
    "macros/inputs/input_columns.sql",
    "models/staging/shop/base/base_shop__customers.sql",
    "models/staging/shop/stg_shop__customers.sql",
    "models/marts/customers.sql",
}
SOURCE_GLOBS = ("models/**/*.sql", "models/**/*.py", "macros/**/*.sql", "src/**/*.py", "reports/src/**/*")


def write_registry(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


ROW_A = "a_days,A,What a is.,days,orders,orders_only,,0,,true,number,1,1,missing_a_days,low a,high a,less a,more a"
ROW_B = (
    'b_total,B,"Money, net.",currency,orders,demographics_and_orders orders_only,money,,,false,'
    "money,0,2,m_b,lo,hi,less,more"
)


def test_reader_keeps_file_order_and_types(tmp_path: Path) -> None:
    """Order, lists, empty bounds and booleans are read as the SQL side reads them."""
    features = registry.read_registry(write_registry(tmp_path / "r.csv", [ROW_A, ROW_B]))
    assert [f.name for f in features] == ["a_days", "b_total"]
    a, b = features
    assert (a.min_value, a.max_value, a.log_kind, a.nullable) == (0.0, None, None, True)
    assert (b.default_for, b.log_kind, b.nullable) == (("demographics_and_orders", "orders_only"), "money", False)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (ROW_A.replace("orders_only", "orders_ony"), r"a_days: default_for \['orders_ony'\]"),
        (ROW_A.replace(",orders,", ",shop,"), r"a_days: input \['shop'\]"),
        (ROW_A.replace(",days,orders,orders_only,,", ",days,orders,orders_only,big,"), r"a_days: log_kind \['big'\]"),
        (ROW_A.replace(",true,", ",yes,"), r"nullable must be true or false, got 'yes'"),
    ],
)
def test_reader_rejects_values_the_code_would_misread(tmp_path: Path, row: str, message: str) -> None:
    with pytest.raises(registry.RegistryError, match=message):
        registry.read_registry(write_registry(tmp_path / "r.csv", [row]))


def test_reader_rejects_a_name_twice_and_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(registry.RegistryError, match="each name once"):
        registry.read_registry(write_registry(tmp_path / "r.csv", [ROW_A, ROW_A]))
    with pytest.raises(registry.RegistryError, match="does not exist; set SEGMENTATION_PROJECT_DIR"):
        registry.read_registry(tmp_path / "missing.csv")


def test_registry_file_follows_segmentation_project_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEGMENTATION_PROJECT_DIR", str(tmp_path))
    assert registry.registry_file() == tmp_path / "seeds" / "feature_registry.csv"
    monkeypatch.delenv("SEGMENTATION_PROJECT_DIR")
    assert registry.registry_file() == REGISTRY


def test_python_and_duckdb_read_the_same_rows() -> None:
    """The macro reads the file with DuckDB's read_csv; Python with the csv module: same names, order, ranges."""
    rows = duckdb.sql(f"select feature_name, min_value, max_value, nullable from read_csv('{REGISTRY}', header = true)")
    python = [(f.name, f.min_value, f.max_value, f.nullable) for f in registry.read_registry(REGISTRY)]
    assert [(n, lo, hi, bool(nullable)) for n, lo, hi, nullable in rows.fetchall()] == python


def test_defaults_and_shape_columns_come_from_the_registry() -> None:
    """The documented defaults (README "Bring your own data") follow from default_for and input."""
    assert DEFAULT_FEATURES == {
        "demographics_and_orders": (
            "age",
            "annual_income",
            "spending_score",
            "recency_days",
            "frequency",
            "avg_order_value",
            "discount_share",
        ),
        "demographics_only": ("age", "annual_income", "spending_score"),
        "orders_only": ("recency_days", "frequency", "monetary_total", "discount_share"),
    }
    # credit_score is optional and spending_score may be derived: neither tells the input shape
    assert shape_columns("customers") == ("age", "annual_income")
    assert "credit_score" not in shape_columns("customers")


def _final_select_columns(sql: str) -> list[str]:
    """The output names of a model's `final` CTE: the alias, or the column of `table.column`."""
    body = sql[sql.index("final as (") : sql.rindex("select * from final")]
    select = body[body.index("select") + len("select") : body.index("\n    from ")]
    names = []
    for line in select.splitlines():
        line = line.strip().rstrip(",")
        if line and not line.startswith("--"):
            names.append(re.split(r"\s+as\s+|\.", line)[-1].strip())
    return names


def test_sql_computes_exactly_the_registered_features_in_order() -> None:
    """int_customers_features_joined is where a feature is computed: same names, same order as the registry."""
    sql = (REPO_ROOT / "models" / "intermediate" / "int_customers_features_joined.sql").read_text()
    columns = [c for c in _final_select_columns(sql) if c not in ("customer_id", "as_of_date")]
    assert columns == list(registry.feature_names())


def _yaml_columns(model_path: str) -> list[str]:
    properties = yaml.safe_load((REPO_ROOT / model_path).read_text())
    (model,) = properties["models"]
    return [column["name"] for column in model["columns"]]


def test_properties_files_document_every_registered_feature() -> None:
    """The column docs of the models that carry every feature list each one, and no other."""
    names = set(registry.feature_names())
    joined = set(_yaml_columns("models/intermediate/int_customers_features_joined.yml"))
    assert joined - {"customer_id", "as_of_date"} == names
    assert names <= set(_yaml_columns("models/marts/customer_segments.yml"))
    profiles = {c for c in _yaml_columns("models/marts/segment_profiles.yml") if c.startswith("avg_")}
    expected = {n if n.startswith("avg_") else f"avg_{n}" for n in names} | {"avg_distance_to_centroid"}
    assert profiles == expected


def test_missing_reasons_match_not_segmented_reasons() -> None:
    """Every feature's missing_reason is a documented code, and every missing_<feature> code names a feature."""
    with (REPO_ROOT / "seeds" / "not_segmented_reasons.csv").open(newline="") as handle:
        codes = {row["reason_code"] for row in csv.DictReader(handle)}
    with REGISTRY.open(newline="") as handle:
        reasons = {row["feature_name"]: row["missing_reason"] for row in csv.DictReader(handle)}
    assert set(reasons.values()) <= codes
    per_feature = {code.removeprefix("missing_") for code in codes if code.startswith("missing_")}
    assert per_feature <= set(reasons), "a missing_<feature> reason for a feature the registry does not have"


def test_report_figures_are_not_features() -> None:
    """format.js defines only the figures that are not features; a feature's format is the registry's."""
    text = (REPO_ROOT / "reports" / "src" / "components" / "format.js").read_text()
    block = text[text.index("export const figures = {") : text.index("};", text.index("export const figures = {"))]
    figures = set(re.findall(r"^\s+(\w+): \{", block, re.MULTILINE))
    assert figures and not figures & set(registry.feature_names())


def test_no_other_source_file_lists_the_features() -> None:
    """Naming three or more registered features outside the files allowed above is a list that will drift."""
    assert all((REPO_ROOT / path).is_file() for path in NAMING_FEATURES_ON_PURPOSE)
    names = registry.feature_names()
    offenders = {}
    for pattern in SOURCE_GLOBS:
        for path in REPO_ROOT.glob(pattern):
            relative = path.relative_to(REPO_ROOT).as_posix()
            if not path.is_file() or relative in NAMING_FEATURES_ON_PURPOSE or ".observablehq" in relative:
                continue
            text = path.read_text(encoding="utf-8")
            named = [n for n in names if re.search(rf"\b{n}\b", text)]
            if len(named) >= 3:
                offenders[relative] = named
    assert offenders == {}

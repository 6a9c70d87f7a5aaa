"""`make build`'s VARS become dbt's --vars through PyYAML and JSON, never by pasting text together."""

from __future__ import annotations

import json

import pytest

from build_errors import BuildError, ExitCode
from dbt_build import merged_vars


@pytest.mark.parametrize("vars_yaml", [None, "", "{}", "  ", "null"])
def test_no_vars_is_an_empty_mapping(vars_yaml: str | None) -> None:
    assert merged_vars(vars_yaml, None, None) == "{}"


def test_vars_and_input_paths_are_one_mapping() -> None:
    merged = merged_vars(
        '{n_clusters: 5, customers_columns: {customer_id: "Cust No"}, customers_path: old.csv}',
        "/data/it's here.csv",
        "/data/orders/*.parquet",
    )
    assert json.loads(merged) == {
        "n_clusters": 5,
        "customers_columns": {"customer_id": "Cust No"},
        "customers_path": "/data/it's here.csv",  # CUSTOMERS wins over a customers_path in VARS
        "orders_path": "/data/orders/*.parquet",
    }


def test_an_unquoted_date_reaches_dbt_as_iso_text() -> None:
    assert json.loads(merged_vars("{as_of_date: 2024-06-01}", None, None)) == {"as_of_date": "2024-06-01"}


@pytest.mark.parametrize(
    ("vars_yaml", "expected"),
    [
        ("[1, 2]", "error: VARS must be a YAML mapping like '{n_clusters: 5}', got '[1, 2]'"),
        ("n_clusters", "error: VARS must be a YAML mapping like '{n_clusters: 5}', got 'n_clusters'"),
        (
            "{n_clusters: 5",
            "error: VARS is not valid YAML (expected ',' or '}', but got '<stream end>' at column 15); "
            "expected a mapping like '{n_clusters: 5}', got '{n_clusters: 5'",
        ),
    ],
)
def test_vars_that_are_not_a_mapping_name_vars(vars_yaml: str, expected: str) -> None:
    with pytest.raises(BuildError) as raised:
        merged_vars(vars_yaml, None, None)
    assert (raised.value.code, raised.value.message) == (ExitCode.BAD_ARGUMENTS, expected)

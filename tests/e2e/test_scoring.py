"""Scoring in SQL with a stored model: the same assignment as scikit-learn's predict, at train time
and in score mode on customers the model never saw, without refitting (README "Scoring new customers")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans

from customer_segmentation.scaling import transform
from tests.conftest import REPO_ROOT, BuildRun, run_build

pytestmark = pytest.mark.e2e

SCORING_SQL = Path("target/compiled/customer_segmentation/models/intermediate/int_customers_segmented.sql")


def _query(database: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(sql).df()


def _ok(run: BuildRun) -> BuildRun:
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    return run


def _predicted(database: Path) -> pd.DataFrame:
    """Each segmented customer's segment by KMeans.predict with the current model's stored centroids."""
    version = _query(database, "select any_value(model_version) as v from customer_segments")["v"].iloc[0]
    scaling = _query(database, f"select * from feature_scaling where model_version = '{version}'")
    centroids = _query(
        database,
        f"select * from segment_centroids where model_version = '{version}' order by segment_id, feature_position",
    )
    segment_ids = centroids["segment_id"].unique()
    centers = centroids["scaled_value"].to_numpy().reshape(len(segment_ids), len(scaling))
    # A KMeans whose centres are exactly the stored ones: fitted on the centroids themselves,
    # one Lloyd step assigns each to itself and leaves it where it is (to rounding: scikit-learn
    # centres the data before fitting).
    kmeans = KMeans(n_clusters=len(centers), init=centers, n_init=1, max_iter=1).fit(centers)
    np.testing.assert_allclose(kmeans.cluster_centers_, centers, rtol=0, atol=1e-12)
    names = scaling.sort_values("feature_position")["feature_name"].tolist()
    features = _query(database, "select * from int_customers_features_joined").dropna(subset=names)
    labels = kmeans.predict(transform(features, scaling))
    return pd.DataFrame({"customer_id": features["customer_id"], "segment_id": segment_ids[labels]}).set_index(
        "customer_id"
    )


def _assigned(database: Path) -> pd.Series:
    return _query(database, "select customer_id, segment_id from customer_segments").set_index("customer_id")[
        "segment_id"
    ]


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    workdir = tmp_path_factory.mktemp("scoring")
    database = workdir / "segmentation.duckdb"
    _ok(run_build(workdir / "train", database=database))
    trained = {
        "assigned": _assigned(database),
        "predicted": _predicted(database),
        "version": _query(database, "select model_version from segment_model_runs")["model_version"].iloc[0],
    }
    trained_copy = workdir / "trained.duckdb"
    trained_copy.write_bytes(database.read_bytes())
    # New customers: the generator's demo with another seed (other people, other orders).
    new_data = workdir / "new"
    generator = [sys.executable, str(REPO_ROOT / "scripts" / "generate_demo_data.py"), "--customers", "600"]
    subprocess.run([*generator, "--seed", "7", "--out", str(new_data)], check=True, capture_output=True)
    # The same customers with every income tripled: a shift the stored model never saw.
    customers = pd.read_csv(new_data / "raw_customers.csv", dtype=str, keep_default_na=False)
    income = pd.to_numeric(customers["annual_income"], errors="coerce")
    customers["annual_income"] = (income * 3).round(1).astype(str).where(income.notna(), customers["annual_income"])
    shifted = workdir / "shifted_customers.csv"
    customers.to_csv(shifted, index=False)
    drifted = _ok(
        run_build(
            workdir / "drifted",
            database=trained_copy,
            customers=str(shifted),
            orders=str(new_data / "raw_orders.csv"),
            vars_yaml="{segmentation_mode: score}",
        )
    )
    score = _ok(
        run_build(
            workdir / "score",
            database=database,
            customers=str(new_data / "raw_customers.csv"),
            orders=str(new_data / "raw_orders.csv"),
            vars_yaml="{segmentation_mode: score}",
        )
    )
    return {
        "database": database,
        "trained": trained,
        "score": score,
        "workdir": workdir / "score",
        "drifted": drifted,
        "drifted_database": trained_copy,
    }


def test_sql_assignment_equals_predict_at_train_time(scored: dict) -> None:
    trained = scored["trained"]
    assert len(trained["assigned"]) == 1984
    assert trained["assigned"].sort_index().equals(trained["predicted"]["segment_id"].sort_index())


def test_score_mode_assigns_new_customers_with_the_stored_model_without_refitting(scored: dict) -> None:
    database = scored["database"]
    runs = _query(database, "select segmentation_mode, model_version from segment_model_runs order by built_at")
    assert runs["segmentation_mode"].tolist() == ["train", "score"]
    assert set(runs["model_version"]) == {scored["trained"]["version"]}
    assert "scoring with the stored model" in scored["score"].stdout
    assert _query(database, "select count(*) as n from segment_model_selection")["n"].iloc[0] == 0
    assigned, predicted = _assigned(database), _predicted(database)
    assert len(assigned) > 500
    assert assigned.sort_index().equals(predicted["segment_id"].sort_index())


def test_the_compiled_scoring_sql_run_by_hand_gives_the_same_assignments(scored: dict) -> None:
    sql = (scored["workdir"] / SCORING_SQL).read_text()
    by_hand = _query(scored["database"], sql).set_index("customer_id")["segment_id"]
    assert by_hand.sort_index().equals(_assigned(scored["database"]).sort_index())


def test_drift_is_measured_against_the_training_data_and_a_shift_warns(scored: dict) -> None:
    same_population = _query(scored["database"], "select * from segment_drift").set_index("measure_name")
    assert (same_population["drift_status"] == "stable").all()
    shifted = _query(scored["drifted_database"], "select * from segment_drift").set_index("measure_name")
    assert shifted.loc["annual_income", "drift_status"] == "drifted"
    assert shifted.loc["annual_income", "population_stability_index"] > 1
    assert shifted.loc["age", "drift_status"] == "stable"
    # the build still succeeds, and its log says so
    assert "segment_drift_features_within_psi_threshold" in scored["drifted"].stdout
    assert "WARN=" in scored["drifted"].stdout and "WARN=0" not in scored["drifted"].stdout

"""End to end: build the bundled demo with dbt into temporary DuckDB files and check what users query."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from tests.conftest import REPO_ROOT, DbtRun, run_dbt

pytestmark = pytest.mark.e2e

PERSONAS_CSV = REPO_ROOT / "seeds" / "ground_truth" / "customer_personas.csv"


def _query(database: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(sql).df()


def _assert_build_ok(run: DbtRun) -> None:
    assert run.returncode == 0, run.output[-4000:]
    # Exposures (the report site) are not run by dbt: their status is no-op.
    failed = {
        name: status
        for name, status in run.statuses().items()
        if status not in ("success", "pass") and not name.startswith("exposure.")
    }
    assert not failed, failed


@pytest.fixture(scope="module")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> DbtRun:
    run = run_dbt("build", tmp_path_factory.mktemp("demo_first"))
    _assert_build_ok(run)
    return run


def test_build_runs_unit_and_data_tests(demo_build: DbtRun) -> None:
    """`dbt build` ran the SQL unit tests and the reconciliation tests, and they passed."""
    statuses = demo_build.statuses()
    unit_tests = [name for name in statuses if name.startswith("unit_test.")]
    reconcile = [name for name in statuses if ".row_counts_reconcile_" in name]
    assert len(unit_tests) >= 4
    assert len(reconcile) == 2
    assert all(statuses[name] == "pass" for name in unit_tests + reconcile)


def test_every_raw_row_is_clean_or_quarantined(demo_build: DbtRun) -> None:
    counts = _query(
        demo_build.database,
        f"""
        select
            (select count(*) from read_csv('{REPO_ROOT}/seeds/raw_customers.csv', all_varchar = true)) as raw_customers,
            (select count(*) from stg_shop__customers) as clean_customers,
            (select count(*) from stg_shop__quarantined_rows where source_name = 'raw_customers') as bad_customers,
            (select count(*) from read_csv('{REPO_ROOT}/seeds/raw_orders.csv', all_varchar = true)) as raw_orders,
            (select count(*) from stg_shop__order_lines) as clean_orders,
            (select count(*) from stg_shop__quarantined_rows where source_name = 'raw_orders') as bad_orders
    """,
    ).iloc[0]
    assert counts.raw_customers == counts.clean_customers + counts.bad_customers
    assert counts.raw_orders == counts.clean_orders + counts.bad_orders
    # The demo is deliberately dirty, so the cleaning layer has real work.
    assert counts.bad_customers > 0 and counts.bad_orders > 0


def test_each_clean_customer_has_exactly_one_segment(demo_build: DbtRun) -> None:
    check = _query(
        demo_build.database,
        """
        select
            (select count(*) from customers) as customers,
            (select count(*) from customer_segments) as assigned,
            (select count(distinct customer_id) from customer_segments) as distinct_assigned,
            (select sum(n_customers) from segment_profiles) as profiled,
            (select count(*) from segment_profiles) as segments,
            (select k from segment_model_runs order by built_at desc limit 1) as k
    """,
    ).iloc[0]
    assert check.customers == check.assigned == check.distinct_assigned == check.profiled
    assert check.segments == check.k


def test_kmeans_recovers_the_generator_personas(demo_build: DbtRun) -> None:
    """On the default features the segments match the hidden personas (ARI >= 0.8)."""
    segments = _query(demo_build.database, "select customer_id, segment_id from customer_segments")
    personas = pd.read_csv(PERSONAS_CSV, dtype={"customer_id": str})
    joined = segments.merge(personas, on="customer_id", how="inner")
    assert len(joined) == len(segments)
    assert adjusted_rand_score(joined["persona"], joined["segment_id"]) >= 0.8


def test_k_is_chosen_automatically_and_recorded(demo_build: DbtRun) -> None:
    selection = _query(demo_build.database, "select * from segment_model_selection order by k")
    assert list(selection["k"]) == list(range(2, 11))
    chosen = selection[selection["is_chosen"]]
    assert len(chosen) == 1
    assert chosen["chosen_by_rule"].iloc[0] in {"elbow_and_silhouette_agree", "best_silhouette_near_elbow"}
    assert chosen["chosen_because"].iloc[0].startswith(f"k = {int(chosen['k'].iloc[0])}")
    assert selection[["inertia", "silhouette", "davies_bouldin", "calinski_harabasz"]].notna().all().all()


def test_segment_names_are_unique_and_readable(demo_build: DbtRun) -> None:
    names = _query(demo_build.database, "select segment_name from segment_profiles")["segment_name"]
    assert names.is_unique
    assert all(name and name[0].isupper() for name in names)


def test_rebuild_gives_identical_segments(demo_build: DbtRun, tmp_path: Path) -> None:
    """Two builds of the same data give the same customer_segments, row for row."""
    second = run_dbt("build", tmp_path)
    _assert_build_ok(second)
    query = "select * from customer_segments order by customer_id"
    pd.testing.assert_frame_equal(_query(demo_build.database, query), _query(second.database, query))


def test_forced_n_clusters_and_log_features_auto(tmp_path: Path) -> None:
    """n_clusters forces k; log_features: auto logs each count or money feature skewed beyond the threshold.

    On the demo, avg_order_value (skewness about 1.7) is the only count or money feature above 1.5;
    recency_days is as skewed but is a duration, never logged. The build log says what was done.
    """
    run = run_dbt("build", tmp_path, vars_yaml="{n_clusters: 4, log_features: auto, skew_threshold: 1.5}")
    _assert_build_ok(run)
    profiles = _query(run.database, "select * from segment_profiles")
    model = _query(run.database, "select k, k_rule, log_features, skew_threshold from int_segment_models_fitted")
    assert len(profiles) == 4
    assert tuple(model.iloc[0]) == (4, "fixed_n_clusters", "auto", 1.5)
    scaling = _query(run.database, "select * from feature_scaling order by feature_position").set_index("feature_name")
    assert list(scaling.index[scaling["transform"] == "log1p"]) == ["avg_order_value"]
    assert scaling.loc["avg_order_value", "skewness"] > 1.5 > scaling.loc["frequency", "skewness"]
    assert scaling.loc["recency_days", "skewness"] > 1.5
    skew = scaling["skewness"]
    assert (
        "int_segment_models_fitted: log_features: auto, skew_threshold: 1.5: signed log1p on "
        f"avg_order_value (skewness {skew['avg_order_value']:.2f}); left as is: annual_income "
        f"(skewness {skew['annual_income']:.2f}), frequency (skewness {skew['frequency']:.2f})"
    ) in run.output


def test_sampling_and_scaling_vars_reach_the_model(tmp_path: Path) -> None:
    """Above fit_sample_threshold the sweep runs on a sample, silhouette on a smaller one; the fit uses all."""
    run = run_dbt(
        "build",
        tmp_path,
        vars_yaml="{fit_sample_threshold: 600, silhouette_sample_size: 250, scaler: robust, log_money: true, "
        "k_min: 3, k_max: 7}",
    )
    _assert_build_ok(run)
    selection = _query(run.database, "select * from segment_model_selection order by k")
    assert list(selection["k"]) == [3, 4, 5, 6, 7]
    assert set(selection["sample_size"]) == {600}
    assert set(selection["silhouette_sample_size"]) == {250}
    model = _query(run.database, "select n_customers, scaler, log_features from int_segment_models_fitted").iloc[0]
    assert model.n_customers == _query(run.database, "select count(*) as n from customers")["n"].iloc[0]
    # log_money: true is the deprecated spelling of log_features: money
    assert (model.scaler, model.log_features) == ("robust", "money")
    scaling = _query(run.database, "select feature_name, transform from feature_scaling")
    logged = set(scaling.loc[scaling["transform"] == "log1p", "feature_name"])
    assert logged == {"annual_income", "avg_order_value"}


def test_a_training_build_reports_no_drift_from_its_own_data(demo_build: DbtRun) -> None:
    """After a training build the current customers are the training customers: every feature's
    PSI is 0 and the share beyond the training 99th-percentile distance is the reference's own."""
    drift = _query(demo_build.database, "select * from segment_drift").set_index("measure_name")
    reference = _query(
        demo_build.database,
        "select reference_share from model_reference_bins"
        " where measure_name = 'distance_to_centroid' and upper_edge is null",
    )["reference_share"]
    features = drift[~drift["is_distance"]]
    assert len(features) >= 2
    assert (features["population_stability_index"].abs() < 1e-12).all()
    assert drift.loc["distance_to_centroid", "share_beyond_p99_distance"] == pytest.approx(reference.iloc[0])
    assert (drift["drift_status"] == "stable").all()

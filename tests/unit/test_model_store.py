"""model_store reads a model stored by an earlier version of the project, whose tables lack the
columns added since (score mode runs before the incremental marts add them)."""

from __future__ import annotations

import datetime as dt

import duckdb

from customer_segmentation.model_store import stored_model_row


def _old_store() -> duckdb.DuckDBPyConnection:
    """A store as written before segmentation_algorithm, variances, weights and segment sizes."""
    connection = duckdb.connect()
    connection.execute(
        "create table segment_model_runs as select 'r1' as run_id, timestamp '2026-11-01' as built_at,"
        " 'train' as segmentation_mode, 'v1' as model_version, timestamp '2026-11-01' as trained_at,"
        " 2 as k, 10 as customers_fitted, 0 as customers_not_segmented, ['age'] as segment_features"
    )
    connection.execute(
        "create table feature_scaling as select 'v1' as model_version, 'age' as feature_name,"
        " 1 as feature_position, 'standard' as scaler, 'none' as transform, 0.0 as skewness,"
        " 40.0 as center, 10.0 as scale"
    )
    connection.execute(
        "create table segment_centroids as select 'v1' as model_version, segment_id,"
        " 'group ' || segment_id as segment_name, 'age' as feature_name, 1 as feature_position,"
        " (segment_id - 1.5) * 2 as scaled_value, 40 + (segment_id - 1.5) * 20 as original_value,"
        " 40.0 as overall_mean, 10.0 as overall_std, (segment_id - 1.5) * 2 as z_score"
        " from range(1, 3) as t(segment_id)"
    )
    return connection


def test_an_old_stored_model_scores_as_kmeans() -> None:
    row = stored_model_row(_old_store(), "memory", "main", "")
    assert row["model_version"] == "v1"
    assert row["segmentation_algorithm"] == "kmeans"
    assert row["trained_at"] == dt.datetime(2026, 11, 1)
    assert [(c["variance"], c["mixture_weight"]) for c in row["centroids"]] == [(1.0, 0.5), (1.0, 0.5)]
    # the training sizes were not recorded then
    assert [segment["n_customers"] for segment in row["segments"]] == [None, None]

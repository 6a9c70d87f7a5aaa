"""The fitted model as one Arrow row: typed columns, and a faithful read-back."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from sklearn.datasets import make_blobs

from customer_segmentation.artifacts import model_to_arrow, stored_model
from customer_segmentation.config import SegmentationConfig
from customer_segmentation.pipeline import SegmentationModel, assign_segments, fit_segmentation

FEATURES = ("annual_income", "spending_score")


@pytest.fixture(scope="module")
def features() -> pd.DataFrame:
    """Three customer groups."""
    unit, _ = make_blobs(n_samples=90, centers=[[15.0, 5.0], [30.0, 20.0], [45.0, 10.0]], random_state=0)
    points = unit * np.array([2000.0, 4.0])
    frame = pd.DataFrame(points, columns=list(FEATURES))
    frame.insert(0, "customer_id", np.arange(1, 91))
    return frame


@pytest.fixture(scope="module")
def model(features: pd.DataFrame) -> SegmentationModel:
    """A small fit with a two-k range, so there is no elbow (a null column)."""
    config = SegmentationConfig(features=FEATURES, k_min=2, k_max=3, n_init=1, log_features="money")
    return fit_segmentation(features, config)


@pytest.mark.parametrize(
    "as_of_date", [dt.date(2024, 3, 31), pd.Timestamp("2024-03-31"), np.datetime64("2024-03-31T00:00:00")]
)
def test_one_row_with_a_date32_as_of_date(model: SegmentationModel, as_of_date: object) -> None:
    """Dates, timestamps and numpy datetimes are all stored as a date32 day."""
    table = model_to_arrow(model, as_of_date)
    assert table.num_rows == 1
    assert table.schema.field("as_of_date").type == pa.date32()
    assert table.column("as_of_date").to_pylist() == [dt.date(2024, 3, 31)]


@pytest.mark.parametrize("missing", [None, pd.NaT])
def test_missing_as_of_date_is_a_typed_null(model: SegmentationModel, missing: object) -> None:
    """No date still gives a date32 column (not Arrow's null type) holding null."""
    table = model_to_arrow(model, missing)
    assert table.num_rows == 1
    assert table.schema.field("as_of_date").type == pa.date32()
    assert table.column("as_of_date").to_pylist() == [None]


def test_nullable_model_columns_keep_their_types(model: SegmentationModel) -> None:
    """With no elbow the elbow_k column is a null int64, not an untyped null."""
    assert model.choice.elbow_k is None
    table = model_to_arrow(model, None)
    assert table.schema.field("elbow_k").type == pa.int64()
    assert table.column("elbow_k").to_pylist() == [None]
    assert table.schema.field("best_silhouette_k").type == pa.int64()
    assert table.schema.field("silhouette").type == pa.float64()
    assert table.column("k").to_pylist() == [model.choice.k]


def test_row_records_the_config(model: SegmentationModel) -> None:
    """The stored row carries the settings that produced it."""
    row = model_to_arrow(model, None).to_pylist()[0]
    assert row["segment_features"] == list(FEATURES)
    assert (row["log_features"], row["skew_threshold"]) == ("money", model.config.skew_threshold)
    assert [s["transform"] for s in row["scaling"]] == list(model.scaling["transform"])
    assert row["model_version"] == model.model_version
    assert [s["segment_id"] for s in row["segments"]] == model.segments["segment_id"].tolist()
    assert len(row["model_selection"]) == len(model.model_selection)


def test_stored_model_round_trips_scaling_and_centroids(model: SegmentationModel) -> None:
    """stored_model returns the same scaling and centroid values that were stored."""
    scaling, centroids = stored_model(model_to_arrow(model, dt.date(2024, 1, 1)))
    pd.testing.assert_frame_equal(scaling, model.scaling, check_dtype=False)
    pd.testing.assert_frame_equal(centroids, model.centroids, check_dtype=False)


def test_assignment_from_stored_model_matches_in_memory_model(
    features: pd.DataFrame,
    model: SegmentationModel,
) -> None:
    """Applying the stored row or the in-memory model gives the same assignment."""
    scaling, centroids = stored_model(model_to_arrow(model, None))
    pd.testing.assert_frame_equal(
        assign_segments(features, scaling, centroids),
        assign_segments(features, model.scaling, model.centroids),
    )


@pytest.mark.parametrize("n_rows", [0, 2])
def test_stored_model_needs_exactly_one_row(model: SegmentationModel, n_rows: int) -> None:
    """An empty table or two model rows is an error, not a silent pick."""
    table = model_to_arrow(model, None)
    tables = pa.concat_tables([table] * n_rows) if n_rows else table.slice(0, 0)
    assert tables.num_rows == n_rows
    with pytest.raises(ValueError, match=f"found {n_rows}"):
        stored_model(tables)

"""Store a fitted model as one Arrow row (nested lists of structs), and read it back.

One row keeps the model atomic: the marts unnest its lists into tidy tables, and the
assignment step reads the scaling and centroids from the very same row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pyarrow as pa

from customer_segmentation.pipeline import SegmentationModel

_NULLABLE_COLUMNS = {
    "elbow_k": pa.int64(),
    "best_silhouette_k": pa.int64(),
    "silhouette": pa.float64(),
    "as_of_date": pa.date32(),
    "previous_model_version": pa.string(),
    "trained_at": pa.timestamp("us"),
    # Empty in score mode (nothing was swept), so its type cannot be inferred there.
    "model_selection": pa.list_(
        pa.struct(
            [
                ("k", pa.int64()),
                ("inertia", pa.float64()),
                ("silhouette", pa.float64()),
                ("davies_bouldin", pa.float64()),
                ("calinski_harabasz", pa.float64()),
                ("sample_size", pa.int64()),
                ("silhouette_sample_size", pa.int64()),
                ("bic", pa.float64()),
                ("is_elbow", pa.bool_()),
                ("is_best_silhouette", pa.bool_()),
                ("is_chosen", pa.bool_()),
            ]
        )
    ),
    # Spelled out: on a first build previous_segment_id and match_distance are all null.
    "segments": pa.list_(
        pa.struct(
            [
                ("segment_id", pa.int64()),
                ("segment_name", pa.string()),
                ("generated_name", pa.string()),
                ("n_customers", pa.int64()),
                ("previous_segment_id", pa.int64()),
                ("match_distance", pa.float64()),
            ]
        )
    ),
}


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain Python values, with NaN turned into null."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _as_date(value: dt.date | pd.Timestamp | None) -> dt.date | None:
    return pd.Timestamp(value).date() if value is not None and not pd.isna(value) else None


def model_to_arrow(
    model: SegmentationModel, as_of_date: dt.date | pd.Timestamp | None, trained_at: dt.datetime | None = None
) -> pa.Table:
    """The fitted model as a one-row table; `as_of_date` is the feature date, `trained_at` the build's start."""
    config = model.config
    row = {
        "model_version": model.model_version,
        "segmentation_mode": "train",
        "segmentation_algorithm": config.algorithm,
        "trained_at": trained_at,
        "k": model.choice.k,
        "k_rule": model.choice.rule,
        "k_rule_explanation": model.choice.explanation,
        "elbow_k": model.choice.elbow_k,
        "best_silhouette_k": model.choice.best_silhouette_k,
        "silhouette": model.chosen_silhouette,
        "inertia": model.inertia,
        "n_customers": model.n_customers,
        "n_customers_not_segmented": model.n_not_segmented,
        "segment_features": list(config.features),
        "input_shape": model.input_shape,
        "scaler": config.scaler,
        "log_features": config.log_features,
        "skew_threshold": config.skew_threshold,
        "random_seed": config.random_seed,
        "n_init": config.n_init,
        "k_min": config.k_min,
        "k_max": config.k_max,
        "n_clusters_var": config.n_clusters,
        "silhouette_sample_size": config.silhouette_sample_size,
        "fit_sample_threshold": config.fit_sample_threshold,
        "as_of_date": _as_date(as_of_date),
        "previous_model_version": model.previous_model_version,
        "segments": records(model.segments),
        "model_selection": records(model.model_selection),
        "centroids": records(model.centroids),
        "scaling": records(model.scaling),
    }
    return row_to_arrow(row)


def row_to_arrow(row: dict[str, Any]) -> pa.Table:
    """A model row (a fit's, or one loaded from the model store) as the one-row table downstream reads."""
    table = pa.Table.from_pylist([row])
    # Columns that may be null need their type spelled out, or Arrow infers the null type.
    for name, arrow_type in _NULLABLE_COLUMNS.items():
        table = table.set_column(table.schema.get_field_index(name), name, table[name].cast(arrow_type))
    return table


def stored_model(table: pa.Table) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scaling and centroid tables from a stored model row."""
    if table.num_rows != 1:
        raise ValueError(f"expected exactly one fitted model row, found {table.num_rows}")
    row = table.to_pylist()[0]
    return pd.DataFrame(row["scaling"]), pd.DataFrame(row["centroids"])

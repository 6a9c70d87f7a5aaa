"""Read the model store: what earlier builds kept in segment_model_runs, feature_scaling and segment_centroids.

scripts/dbt_build.py builds into a copy of the previous database, so while int_segment_models_fitted
runs, these tables still hold what earlier builds stored. They are read by name, not through
ref(): they are downstream of that model, and ref() would be a cycle. Two readers:
- previous_segments: the latest run's segments, which a retrain's ids and names follow (matching.py);
- stored_model_row: a trained model as the row int_segment_models_fitted returns, for score mode,
  which assigns customers with a stored model instead of fitting one.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from customer_segmentation.artifacts import records
from customer_segmentation.config import ConfigError
from customer_segmentation.matching import PreviousSegments

STORE_TABLES = ("segment_model_runs", "feature_scaling", "segment_centroids")

_LATEST_RUN_CENTROIDS = """
    select
        centroids.segment_id,
        centroids.segment_name,
        centroids.feature_name,
        centroids.feature_position,
        centroids.original_value,
        centroids.model_version
    from {runs} as runs
    inner join {centroids} as centroids
        on runs.model_version = centroids.model_version
    where runs.run_id = (
        select run_id from {runs} order by built_at desc, run_id desc limit 1
    )
"""


class _Store:
    """The store's tables in one database and schema, quoted for SQL."""

    def __init__(self, connection: Any, database: str, schema: str) -> None:
        self.connection = connection
        self.database = database
        self.schema = schema

    def table(self, name: str) -> str:
        return ".".join('"' + part.replace('"', '""') + '"' for part in (self.database, self.schema, name))

    def present(self) -> bool:
        found = self.connection.execute(
            "select count(*) from information_schema.tables"
            " where table_catalog = ? and table_schema = ? and table_name in (?, ?, ?)",
            [self.database, self.schema, *STORE_TABLES],
        ).fetchone()[0]
        return found == len(STORE_TABLES)

    def rows(self, sql: str, parameters: list[Any] | None = None) -> pd.DataFrame:
        return self.connection.execute(sql, parameters or []).df()

    def columns(self, name: str, wanted: list[str]) -> str:
        """A select list of `wanted` from table `name`, with `null as <column>` for each column the
        table does not have yet: a store written by an earlier version of the project lacks the
        columns added since, and this model runs before the incremental marts add them."""
        present = {
            row[0]
            for row in self.connection.execute(
                "select column_name from information_schema.columns"
                " where table_catalog = ? and table_schema = ? and table_name = ?",
                [self.database, self.schema, name],
            ).fetchall()
        }
        return ", ".join(column if column in present else f"null as {column}" for column in wanted)


def previous_segments(connection: Any, database: str, schema: str) -> PreviousSegments | None:
    """The latest stored run's segments in `database`.`schema`, or None on a first build."""
    store = _Store(connection, database, schema)
    if not store.present():
        return None
    runs, centroids = store.table("segment_model_runs"), store.table("segment_centroids")
    query = _LATEST_RUN_CENTROIDS.format(runs=runs, centroids=centroids)
    return PreviousSegments.from_centroid_rows(store.rows(query))


def stored_model_row(connection: Any, database: str, schema: str, model_version: str) -> dict[str, Any]:
    """The trained model `model_version` ('' = the latest run's) as a model row, for score mode.

    Its metadata comes from the run that trained it, its scaler and centroids from the store. No
    sweep is stored, so model_selection is empty. Raises ConfigError when there is nothing to score with.
    """
    store = _Store(connection, database, schema)
    if not store.present():
        raise ConfigError(
            "segmentation_mode: score needs a trained model, and this database has none: "
            "build once with segmentation_mode: train (the default) first"
        )
    runs = store.rows(
        f"select * from {store.table('segment_model_runs')} where segmentation_mode = 'train'"
        " order by built_at desc, run_id desc"
    )
    chosen = runs if not model_version else runs[runs["model_version"] == model_version]
    if chosen.empty:
        kept = ", ".join(dict.fromkeys(runs["model_version"])) or "none"
        raise ConfigError(
            f"score_model_version: {model_version!r} is not a trained model in segment_model_runs (kept: {kept})"
        )
    run = chosen.iloc[0]
    version = str(run["model_version"])
    scaling = store.rows(
        "select feature_name, feature_position, scaler, transform, skewness, center, scale"
        f" from {store.table('feature_scaling')} where model_version = ? order by feature_position",
        [version],
    )
    centroid_columns = store.columns("segment_centroids", _CENTROID_COLUMNS)
    centroids = store.rows(
        f"select {centroid_columns} from {store.table('segment_centroids')}"
        " where model_version = ? order by segment_id, feature_position",
        [version],
    )
    # A model stored before variances and weights were is K-Means: unit variances, equal weights
    # (macro fill_kmeans_mixture_columns writes the same into the store after the next build).
    k = centroids["segment_id"].nunique()
    centroids["variance"] = centroids["variance"].astype(float).fillna(1.0)
    centroids["mixture_weight"] = centroids["mixture_weight"].astype(float).fillna(1.0 / k)
    segments = centroids.drop_duplicates("segment_id")
    return {
        "model_version": version,
        "segmentation_mode": "score",
        "trained_at": run["trained_at"].to_pydatetime(),
        **{name: _value(run.get(name)) for name in _RUN_COLUMNS},
        # a model stored before other algorithms existed was K-Means
        "segmentation_algorithm": _value(run.get("segmentation_algorithm")) or "kmeans",
        "n_customers": int(run["customers_fitted"]),
        "n_customers_not_segmented": int(run["customers_not_segmented"]),
        "segment_features": list(run["segment_features"]),
        "as_of_date": None,
        # A scored segment is the stored segment itself, at distance 0.
        "previous_model_version": version,
        "segments": [
            {
                "segment_id": int(row.segment_id),
                "segment_name": row.segment_name,
                "generated_name": row.segment_name,
                # unknown for a model stored before segments recorded their training size
                "n_customers": _value(row.segment_customers),
                "previous_segment_id": int(row.segment_id),
                "match_distance": 0.0,
            }
            for row in segments.itertuples()
        ],
        "model_selection": [],
        "centroids": records(centroids.drop(columns="segment_customers")),
        "scaling": records(scaling),
    }


_CENTROID_COLUMNS = [
    "segment_id",
    "segment_name",
    "feature_name",
    "feature_position",
    "scaled_value",
    "original_value",
    "overall_mean",
    "overall_std",
    "z_score",
    "variance",
    "mixture_weight",
    "segment_customers",
]

# Columns of a model row copied as they are from its training run in segment_model_runs (None
# for a column added after that run was stored).
_RUN_COLUMNS = (
    "segmentation_algorithm",
    "k",
    "k_rule",
    "k_rule_explanation",
    "elbow_k",
    "best_silhouette_k",
    "silhouette",
    "inertia",
    "input_shape",
    "scaler",
    "log_features",
    "skew_threshold",
    "random_seed",
    "n_init",
    "k_min",
    "k_max",
    "n_clusters_var",
    "silhouette_sample_size",
    "fit_sample_threshold",
)


def _value(value: Any) -> Any:
    """A pandas cell as a plain Python value (numpy scalars unwrapped, NaN and NA as None)."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value

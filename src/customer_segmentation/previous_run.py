"""The previous build's segments, read from the database the build started from.

scripts/dbt_build.py builds into a copy of the previous database, so while the model is being
fitted, segment_model_runs and segment_centroids still hold what earlier builds stored. They are
read by name, not through ref(): both are downstream of the fit, and ref() would be a cycle.
"""

from __future__ import annotations

from typing import Any

from customer_segmentation.matching import PreviousSegments

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
        select run_id from {runs} order by trained_at desc, run_id desc limit 1
    )
"""


def _quoted(*parts: str) -> str:
    return ".".join('"' + part.replace('"', '""') + '"' for part in parts)


def previous_segments(connection: Any, database: str, schema: str) -> PreviousSegments | None:
    """The latest stored run's segments in `database`.`schema`, or None on a first build."""
    present = connection.execute(
        "select count(*) from information_schema.tables"
        " where table_catalog = ? and table_schema = ? and table_name in ('segment_model_runs', 'segment_centroids')",
        [database, schema],
    ).fetchone()[0]
    if present < 2:
        return None
    query = _LATEST_RUN_CENTROIDS.format(
        runs=_quoted(database, schema, "segment_model_runs"),
        centroids=_quoted(database, schema, "segment_centroids"),
    )
    return PreviousSegments.from_centroid_rows(connection.execute(query).df())

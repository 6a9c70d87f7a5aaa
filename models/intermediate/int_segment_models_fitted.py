"""Fit the segmentation (segmentation_algorithm: K-Means, a Gaussian mixture or Ward) on the feature table; one row.

In score mode (var segmentation_mode: score) nothing is fitted: the row is a trained model loaded
from the model store (customer_segmentation.model_store), and int_customers_segmented assigns the
customers with it. All logic lives in the `customer_segmentation` package (src/); this file only
wires dbt in and out.
"""

import datetime as dt

from customer_segmentation.artifacts import model_to_arrow, row_to_arrow
from customer_segmentation.config import SegmentationConfig, parse_share
from customer_segmentation.model_store import previous_segments, stored_model_row
from customer_segmentation.pipeline import Exclusions, fit_segmentation
from customer_segmentation.scaling import describe_transforms


def model(dbt, session):
    dbt.config(materialized="table")
    # Sorted input: DuckDB row order is not stable, and K-Means depends on it.
    features = dbt.ref("int_customers_features_joined").order("customer_id").df()
    as_of_date = features["as_of_date"].iloc[0] if len(features) else None
    if dbt.config.meta_get("segmentation_mode") == "score":
        row = stored_model_row(session, dbt.this.database, dbt.this.schema, dbt.config.meta_get("score_model_version"))
        print(f"int_segment_models_fitted: scoring with the stored model {row['model_version']}, no fit", flush=True)
        return row_to_arrow({**row, "as_of_date": as_of_date})
    # dbt only passes the meta keys it sees read literally here, so each one is spelled out.
    config = SegmentationConfig.from_meta(
        {
            "segment_features": dbt.config.meta_get("segment_features"),
            "segmentation_algorithm": dbt.config.meta_get("segmentation_algorithm"),
            "comparison_sample_size": dbt.config.meta_get("comparison_sample_size"),
            "n_clusters": dbt.config.meta_get("n_clusters"),
            "k_min": dbt.config.meta_get("k_min"),
            "k_max": dbt.config.meta_get("k_max"),
            "scaler": dbt.config.meta_get("scaler"),
            "log_features": dbt.config.meta_get("log_features"),
            "skew_threshold": dbt.config.meta_get("skew_threshold"),
            "random_seed": dbt.config.meta_get("random_seed"),
            "silhouette_sample_size": dbt.config.meta_get("silhouette_sample_size"),
            "fit_sample_threshold": dbt.config.meta_get("fit_sample_threshold"),
            "segment_match_max_distance": dbt.config.meta_get("segment_match_max_distance"),
        }
    )
    max_share = parse_share("max_rejected_share", dbt.config.meta_get("max_rejected_share"))
    # Why customers or whole features have no value: determined in SQL, quoted in the messages.
    reasons = dbt.ref("int_customers_features_missing").df()
    summary = dbt.ref("int_customers_features_summarized").df()
    causes = dict(zip(summary["feature_name"], summary["no_values_cause"], strict=True))
    exclusions = Exclusions(reasons=reasons, no_values_causes=causes, max_share=max_share)
    # The previous build's segments, whose ids and names a retrain keeps (matching.py).
    previous = previous_segments(session, dbt.this.database, dbt.this.schema)
    fitted = fit_segmentation(features, config, exclusions, previous)
    # dbt-duckdb runs Python models in-process, so this line appears in the build's console output.
    print(f"int_segment_models_fitted: {describe_transforms(fitted.scaling, fitted.config)}", flush=True)
    if fitted.config.algorithm == "agglomerative":
        print(
            f"int_segment_models_fitted: Ward's centres assign every customer to the nearest; "
            f"{fitted.sample_disagreements} sampled customer(s) sit nearer another centre than their Ward cluster's",
            flush=True,
        )
    trained_at = dt.datetime.fromisoformat(str(dbt.config.meta_get("run_started_at")))
    return model_to_arrow(fitted, as_of_date, trained_at.astimezone(dt.UTC).replace(tzinfo=None))

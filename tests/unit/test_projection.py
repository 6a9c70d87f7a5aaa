"""The 2-D PCA projection behind the report's scatter plot."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.datasets import make_blobs

from customer_segmentation.config import SegmentationConfig
from customer_segmentation.projection import project_2d
from customer_segmentation.scaling import fit_scaling

FEATURES = ("a", "b", "c")


def _features(seed: int = 0) -> pd.DataFrame:
    points, _ = make_blobs(n_samples=300, centers=3, n_features=3, random_state=seed)
    frame = pd.DataFrame(points, columns=list(FEATURES))
    frame.insert(0, "customer_id", [f"c{i:04d}" for i in range(len(frame))])
    return frame


def test_projection_keeps_every_customer_and_explains_most_variance() -> None:
    features = _features()
    scaling = fit_scaling(features, SegmentationConfig(features=FEATURES))
    projected = project_2d(features, scaling, random_seed=1)
    assert list(projected["customer_id"]) == sorted(features["customer_id"])
    assert projected[["pc1", "pc2"]].notna().all().all()
    explained = projected["pc1_explained_variance"].iloc[0] + projected["pc2_explained_variance"].iloc[0]
    assert 0.8 < explained <= 1.0


def test_projection_does_not_depend_on_row_order() -> None:
    features = _features()
    scaling = fit_scaling(features, SegmentationConfig(features=FEATURES))
    first = project_2d(features, scaling, random_seed=1)
    shuffled = project_2d(features.sample(frac=1.0, random_state=3), scaling, random_seed=1)
    np.testing.assert_allclose(first[["pc1", "pc2"]], shuffled[["pc1", "pc2"]], atol=1e-9)


def test_single_feature_projects_onto_one_axis() -> None:
    features = _features()[["customer_id", "a"]]
    scaling = fit_scaling(features, SegmentationConfig(features=("a",)))
    projected = project_2d(features, scaling, random_seed=1)
    assert (projected["pc2"] == 0).all()
    assert projected["pc1_explained_variance"].iloc[0] == 1.0

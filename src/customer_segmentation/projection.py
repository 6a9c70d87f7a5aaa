"""A 2-D view of the scaled feature space, so people can see how segments sit apart.

PCA (scikit-learn) on the features exactly as the model saw them (after the stored
scaling), so distances in the picture reflect what K-Means worked with.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA

from customer_segmentation.features import complete_rows
from customer_segmentation.sampling import seeded_sample
from customer_segmentation.scaling import transform


def project_2d(
    features: pd.DataFrame, scaling: pd.DataFrame, random_seed: int, sample_size: int | None = None
) -> pd.DataFrame:
    """Customer id with the first two principal components and each component's explained variance.

    Only the customers the model segmented (a value for every one of its features) are projected.
    Above `sample_size` customers the components are fitted on the model's seeded sample (a few
    features need no more rows to fix two directions) and every customer is projected on them.
    """
    features = complete_rows(features, scaling["feature_name"].tolist())
    features = features.sort_values("customer_id", kind="stable").reset_index(drop=True)
    scaled = transform(features, scaling)
    n_components = min(2, scaled.shape[1], len(scaled))
    rows = seeded_sample(len(scaled), sample_size or len(scaled), random_seed)
    pca = PCA(n_components=n_components, random_state=random_seed).fit(scaled[rows])
    # PCA's sign is arbitrary; make the largest loading of each component positive so it is stable.
    signs = np.sign(pca.components_[np.arange(n_components), np.abs(pca.components_).argmax(axis=1)])
    components = pca.transform(scaled) * signs
    if n_components < 2:
        components = np.column_stack([components, np.zeros((len(scaled), 2 - n_components))])
    ratios = np.pad(pca.explained_variance_ratio_, (0, 2 - n_components))
    return pd.DataFrame(
        {
            "customer_id": features["customer_id"].to_numpy(),
            "pc1": components[:, 0],
            "pc2": components[:, 1],
            "pc1_explained_variance": ratios[0],
            "pc2_explained_variance": ratios[1],
        }
    )

"""The versions of the packages a fitted model depends on, so that a build can be reproduced."""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version

import pyarrow as pa

from customer_segmentation import __version__

# The libraries whose versions can change a fit, a score or a stored table.
FITTING_PACKAGES = ("duckdb", "numpy", "pandas", "pyarrow", "scikit-learn", "scipy", "threadpoolctl")


def package_versions() -> pa.Table:
    """One row per package: the interpreter, this project's package and FITTING_PACKAGES, sorted by name."""
    rows = {"python": platform.python_version(), "customer-segmentation": __version__}
    for name in FITTING_PACKAGES:
        try:
            rows[name] = version(name)
        except PackageNotFoundError:
            rows[name] = "not installed"
    names = sorted(rows)
    return pa.table({"package_name": names, "package_version": [rows[name] for name in names]})

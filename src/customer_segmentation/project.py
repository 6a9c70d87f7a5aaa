"""Where the dbt project is: the files the package reads besides the data (vars, feature registry)."""

from __future__ import annotations

import os
from pathlib import Path


def project_dir() -> Path:
    """SEGMENTATION_PROJECT_DIR when set, else two levels above this package (src/..)."""
    return Path(os.environ.get("SEGMENTATION_PROJECT_DIR") or Path(__file__).resolve().parents[2])


def project_file() -> Path:
    """dbt_project.yml of the project."""
    return project_dir() / "dbt_project.yml"

"""Customer segmentation logic called by the project's dbt Python models.

Each module has one job: `config` (vars), `scaling`, `selection` (choosing k),
`clustering` (the final fit and stable ids), `naming`, `pipeline` (the steps together)
and `artifacts` (the model as one stored row).
"""

__version__ = "0.1.0"

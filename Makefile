# One entry point. `make build` and `make test` both start from nothing: they install the
# pinned environment first, so they work on a fresh clone.

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
DBT_FLAGS := --project-dir . --profiles-dir .

# dbt vars, e.g. make build VARS='{n_clusters: 5}'
VARS ?= {}
# Your own data instead of the demo, e.g. make build CUSTOMERS=data/customers.csv ORDERS='data/orders/*.parquet'
CUSTOMERS ?=
ORDERS ?=

export DO_NOT_TRACK := 1
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: build test lint format demo-data docs clean help

help:
	@echo "make build      install everything, then dbt build (seeds, models, tests) on the demo data"
	@echo "                (or your data: make build CUSTOMERS=path ORDERS=path VARS='{...}')"
	@echo "make test       install everything, then lint and run every test (pytest, dbt end to end)"
	@echo "make lint       ruff and sqlfluff"
	@echo "make demo-data  regenerate the bundled demo seeds with scripts/generate_demo_data.py"
	@echo "make docs       dbt docs generate (lineage in target/)"
	@echo "make clean      remove the environment, dbt artefacts and the DuckDB file"

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

# Installs exactly what uv.lock pins; reruns only when the lock or pyproject changes.
$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

# Builds into a copy of the database and swaps it in only when everything passed.
build: $(VENV)/.installed
	$(BIN)/python scripts/dbt_build.py --vars '$(VARS)' $(if $(CUSTOMERS),--customers '$(CUSTOMERS)') $(if $(ORDERS),--orders '$(ORDERS)')

test: lint
	$(BIN)/pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check src scripts tests models
	$(BIN)/ruff format --check src scripts tests models
	$(BIN)/sqlfluff lint models

format: $(VENV)/.installed
	$(BIN)/ruff format src scripts tests models
	$(BIN)/sqlfluff fix models

demo-data: $(VENV)/.installed
	$(BIN)/python scripts/generate_demo_data.py --customers 2000 --format csv --out seeds

docs: $(VENV)/.installed
	$(DBT) docs generate $(DBT_FLAGS)

clean:
	rm -rf $(VENV) $(TOOLS) target logs dbt_packages customer_segmentation.duckdb customer_segmentation.duckdb.wal

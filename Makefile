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
# make build WAIT=1 waits for another build of the same database instead of stopping (exit code 4).
WAIT ?=
# These values are data, never make or shell text: make would expand them (running any $(shell ...))
# to export them under their own names, so they go to the build only as the unexpanded
# $(value ...) in SEGMENTATION_* environment variables, which scripts/dbt_build.py reads.
# make bench SIZE=S|M|L: the bench's data size, passed the same way.
SIZE ?= S
unexport VARS CUSTOMERS ORDERS WAIT SIZE

export DO_NOT_TRACK := 1
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: build test test-fast lint format demo-data docs clean help bench

help:
	@echo "make build      install everything, then dbt build (seeds, models, tests) on the demo data"
	@echo "                (or your data: make build CUSTOMERS=path ORDERS=path VARS='{...}'; WAIT=1 waits for a running build)"
	@echo "make test       install everything, then lint and run every test (pytest, dbt end to end)"
	@echo "make test-fast  lint and the tests that do not build the project (pytest -m 'not e2e')"
	@echo "make lint       ruff, sqlfluff and ESLint (the report site's JavaScript)"
	@echo "make bench      the project side by side with a notebook and a one-query floor, on generated"
	@echo "                data (SIZE=S, M or L: 100k, 1M or 10M customers; default S)"
	@echo "make demo-data  regenerate the bundled demo seeds with scripts/generate_demo_data.py"
	@echo "make docs       dbt docs generate (lineage in target/)"
	@echo "make report     build the report site (reports/dist) from the DuckDB file; make build does it too"
	@echo "make serve      serve the built report site on http://127.0.0.1:\$$PORT/ (default 3000)"
	@echo "make screenshots  run the browser tests, then copy their screenshots of the overview and of segment 1"
	@echo "                at 390 and 1280 px to docs/ (overview-390.png, segment-1280.png, ...)"
	@echo "make clean      remove the environments, dbt artefacts, the DuckDB file and the built site"

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

# Installs exactly what uv.lock pins; reruns only when the lock or pyproject changes.
$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

# Builds into a copy of the database and swaps it in only when everything passed, then builds
# the report site the same way, all under the database's lock (README "Builds are atomic and locked").
build: export SEGMENTATION_VARS = $(value VARS)
build: export SEGMENTATION_CUSTOMERS = $(value CUSTOMERS)
build: export SEGMENTATION_ORDERS = $(value ORDERS)
build: export SEGMENTATION_BUILD_WAIT = $(value WAIT)
build: $(VENV)/.installed reports/node_modules/.installed
	$(BIN)/python scripts/dbt_build.py --report

# pytest builds report sites too (tests/e2e/test_build_safety.py), so node_modules comes first.
test: lint reports/node_modules/.installed
	$(BIN)/pytest
	$(MAKE) --no-print-directory report-test

# Everything but the tests marked e2e (all of tests/e2e/, see tests/conftest.py): no build of the project.
test-fast: lint
	$(BIN)/pytest -m "not e2e"

# ruff and sqlfluff on the project and the report's page SQL (its `$segment` parameters through
# sqlfluff's placeholder templater, reports/.sqlfluff), ESLint on the report site's JavaScript
# (components, scripts, browser tests and the pages' js cells).
lint: $(VENV)/.installed reports/node_modules/.installed
	$(BIN)/ruff check src scripts tests models reports/lib
	$(BIN)/ruff format --check src scripts tests models reports/lib
	$(BIN)/sqlfluff lint models
	$(BIN)/sqlfluff lint reports/src --templater placeholder
	cd reports && npx --no-install eslint .

format: $(VENV)/.installed
	$(BIN)/ruff format src scripts tests models reports/lib
	$(BIN)/sqlfluff fix models
	$(BIN)/sqlfluff fix reports/src --templater placeholder

# Wall time and peak memory of the project against a pandas notebook and a one-query floor
# (scripts/bench/run_bench.py); data cached in target/bench/data/, results in target/bench/.
bench: export SEGMENTATION_BENCH_SIZE = $(value SIZE)
bench: $(VENV)/.installed
	$(BIN)/python scripts/bench/run_bench.py

demo-data: $(VENV)/.installed
	$(BIN)/python scripts/generate_demo_data.py --customers 2000 --format csv --out seeds

docs: $(VENV)/.installed
	$(DBT) docs generate $(DBT_FLAGS)

clean:
	rm -rf $(VENV) $(TOOLS) target logs dbt_packages customer_segmentation.duckdb customer_segmentation.duckdb.wal \
	  customer_segmentation.duckdb.lock build reports/dist reports/node_modules reports/src/.observablehq/cache \
	  reports/screenshots

# --- Report site (reports/: Observable Framework, see README "Report site") ---------------
REPORTS := reports
PORT ?= 3000
# The browser tests build their own databases and sites here: the demo data and the two
# partial shapes (customers without orders, orders without customers). The customers-only
# site is built with report_customer_rows: true, so both publication settings are checked.
# two_runs is the demo's database built again on the demo one month later: two kept runs,
# so its history page has migrations (the others keep one run each).
REPORT_TEST_DIR := $(CURDIR)/build/report-test

.PHONY: report serve screenshots report-test

# Installs exactly what package-lock.json pins; reruns only when it changes.
$(REPORTS)/node_modules/.installed: $(REPORTS)/package.json $(REPORTS)/package-lock.json
	cd $(REPORTS) && npm ci --no-audit --no-fund
	touch $@

# The site from the DuckDB file that `make build` wrote (SEGMENTATION_DUCKDB_PATH or the default).
report: $(VENV)/.installed $(REPORTS)/node_modules/.installed
	cd $(REPORTS) && node scripts/build.js

serve:
	cd $(REPORTS) && node scripts/serve.js dist $(PORT)

report-test: $(VENV)/.installed $(REPORTS)/node_modules/.installed
	command -v chromium >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)
	rm -rf $(REPORT_TEST_DIR) $(REPORTS)/screenshots && mkdir -p $(REPORT_TEST_DIR)
	SEGMENTATION_DUCKDB_PATH=$(REPORT_TEST_DIR)/demo.duckdb $(BIN)/python scripts/dbt_build.py
	SEGMENTATION_DUCKDB_PATH=$(REPORT_TEST_DIR)/customers_only.duckdb $(BIN)/python scripts/dbt_build.py --customers seeds/raw_customers.csv \
	  --vars '{report_customer_rows: true}'
	SEGMENTATION_DUCKDB_PATH=$(REPORT_TEST_DIR)/orders_only.duckdb $(BIN)/python scripts/dbt_build.py --orders seeds/raw_orders.csv \
	  --vars '{currency: EUR}'
	$(BIN)/python scripts/generate_demo_data.py --next-month --out $(REPORT_TEST_DIR)/next_month
	cp $(REPORT_TEST_DIR)/demo.duckdb $(REPORT_TEST_DIR)/two_runs.duckdb
	SEGMENTATION_DUCKDB_PATH=$(REPORT_TEST_DIR)/two_runs.duckdb $(BIN)/python scripts/dbt_build.py \
	  --customers $(REPORT_TEST_DIR)/next_month/raw_customers.csv --orders $(REPORT_TEST_DIR)/next_month/raw_orders.csv
	for shape in demo customers_only orders_only two_runs; do \
	  (cd $(REPORTS) && SEGMENTATION_DUCKDB_PATH=$(REPORT_TEST_DIR)/$$shape.duckdb \
	    REPORT_OUTPUT_DIR=$(REPORT_TEST_DIR)/$$shape-dist node scripts/build.js) || exit 1; \
	done
	cd $(REPORTS) && SEGMENTATION_DUCKDB_PATH=$(REPORT_TEST_DIR)/demo.duckdb \
	  REPORT_OUTPUT_DIR=$(REPORT_TEST_DIR)/demo-dist REPORT_SHAPES_DIR=$(REPORT_TEST_DIR) \
	  node --test --test-concurrency=1 test/palette.test.js test/site.test.js test/shapes.test.js test/history.test.js test/rfm.test.js test/actions.test.js test/algorithms.test.js

# The README screenshots: the overview and segment 1 at a phone's and a desktop's width,
# taken by the browser tests from a real build of the demo data.
screenshots: report-test
	mkdir -p docs
	for width in 390 1280; do \
	  cp $(REPORTS)/screenshots/overview-$$width.png docs/overview-$$width.png && \
	  cp $(REPORTS)/screenshots/segment-1-$$width.png docs/segment-$$width.png || exit 1; \
	done

# customer360: one entry point for people and CI.
#   make demo   generate a small landing zone, refresh (build and publish), query it, report, docs site
#   make test   run the test suite (make test-bench: the benchmark's smoke test)
#   make check  lock check, lint (ruff, mypy, sqlfluff, dbt-score), then the tests
#   make clean  remove build output, caches, the default warehouse and data/raw

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Reinstall only when the lock (or the project's metadata) changes.
LOCK := requirements.lock
STAMP := $(VENV)/.installed-from-lock

ANALYTICS := $(or $(C360_ANALYTICS_DB),warehouse/analytics.duckdb)

# The query `make demo` runs against the published analytics file, read-only.
DEMO_QUERY := select company_name, lifecycle_stage, plan, health_band, \
	round(mrr_reporting) as mrr_reporting, reporting_currency \
	from marts.customer_360 order by mrr_reporting desc nulls last limit 10

.PHONY: venv lock lock-check demo test test-fast test-bench check lint lint-sql lint-dbt fix-sql clean

venv: $(STAMP)

# Exactly the lock: every package pinned with its hashes, nothing resolved here;
# then the project itself, editable, without dependencies.
$(STAMP): $(LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $@

# Re-resolve pyproject.toml's ranges (runtime + dev) into the lock; see docs/development.md "Upgrading dependencies".
# Needs only uv (the lock pins it; a venv without one gets it first).
lock:
	test -x $(BIN)/uv || { $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet uv; }
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--quiet --custom-compile-command "make lock" -o $(LOCK) $(LOCK_ARGS)

# The venv holds exactly what the lock says (pip freeze against the lock).
lock-check: venv
	$(BIN)/python -m c360.lockcheck $(LOCK)

demo: venv
	$(BIN)/c360 generate --scale small
	$(BIN)/c360 refresh || test $$? -eq 3  # 3: published with warnings
	@echo
	@echo "Analytics file: $(ANALYTICS)"
	@echo "Example query (DuckDB, read-only):"
	@echo "  $(BIN)/python -c \"import duckdb; duckdb.connect('$(ANALYTICS)', read_only=True).sql('$(DEMO_QUERY)').show()\""
	@echo
	@$(BIN)/python -c "import duckdb; duckdb.connect('$(ANALYTICS)', read_only=True).sql('$(DEMO_QUERY)').show(max_rows=50)"
	@report=$$($(BIN)/c360 report) && docs=$$($(BIN)/c360 docs) && echo && \
		echo "The report (open it in a browser): $$report" && \
		echo "The docs site (every mart, column and metric): $$docs"

# Two workers, each taking whole test files, so a file's dbt builds stay in one process.
PYTEST_WORKERS ?= 2

test: venv
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile -m "not bench"

# The benchmark's own smoke test (three refreshes of tiny, about two minutes):
# CI runs it after the suite (make check), so the suite stays under ten minutes.
test-bench: venv
	$(BIN)/pytest -m bench

# Everything that needs no dbt build (unit tests, lint of the project's files).
test-fast: venv
	$(BIN)/pytest -m "not slow" -n $(PYTEST_WORKERS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

lint-sql: venv
	$(BIN)/sqlfluff lint models macros tests/dbt snapshots

fix-sql: venv
	$(BIN)/sqlfluff fix models macros tests/dbt snapshots

# dbt-score reads dbt's manifest: parse (no warehouse needed), then score.
lint-dbt: venv
	DO_NOT_TRACK=1 $(BIN)/dbt parse --quiet --target-path target/lint
	$(BIN)/dbt-score lint --manifest target/lint/manifest.json

check: lock-check lint lint-sql lint-dbt test test-bench

clean:
	rm -rf target logs .pytest_cache .mypy_cache .ruff_cache
	rm -rf scripts/*.egg-info
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +
	rm -f warehouse/*.duckdb warehouse/*.duckdb.wal
	rm -rf data/raw

# customer360: one entry point for people and CI.
#   make demo   generate a small landing zone, build the warehouse (c360 build), query it
#   make test   run the test suite
#   make check  lint, format check, type check, then the tests
#   make clean  remove build output, caches, the default warehouse and data/raw

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Reinstall only when the dependencies change.
STAMP := $(VENV)/.installed-from-pyproject

WAREHOUSE := $(or $(C360_WAREHOUSE),warehouse/customer360.duckdb)

# The query `make demo` runs against the finished warehouse, read-only.
DEMO_QUERY := select account_type, count(*) as accounts, \
	count(*) filter (where is_deleted or is_hard_deleted) as deleted, \
	max(system_modified_at) as last_modified_utc \
	from staging.stg_crm__accounts group by all order by all

.PHONY: venv demo test check clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: venv
	$(BIN)/c360 generate --scale small
	$(BIN)/c360 build
	@echo
	@echo "Warehouse: $(WAREHOUSE)"
	@echo "Example query (DuckDB, read-only):"
	@echo "  $(BIN)/python -c \"import duckdb; duckdb.connect('$(WAREHOUSE)', read_only=True).sql('$(DEMO_QUERY)').show()\""
	@echo
	@$(BIN)/python -c "import duckdb; duckdb.connect('$(WAREHOUSE)', read_only=True).sql('$(DEMO_QUERY)').show(max_rows=50)"

# Two workers, each taking whole test files, so a file's dbt builds stay in one process.
PYTEST_WORKERS ?= 2

test: venv
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

check: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

clean:
	rm -rf target logs .pytest_cache .mypy_cache .ruff_cache
	rm -rf scripts/*.egg-info
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +
	rm -f warehouse/*.duckdb warehouse/*.duckdb.wal
	rm -rf data/raw

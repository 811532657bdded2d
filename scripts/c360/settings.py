"""Where things live: the landing zone and the warehouse, from the environment."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_RAW_DIR = "data/raw"
DEFAULT_WAREHOUSE = "warehouse/customer360.duckdb"


def raw_dir() -> Path:
    """The landing zone: ``$C360_RAW_DIR`` or ``data/raw``."""
    return Path(os.environ.get("C360_RAW_DIR") or DEFAULT_RAW_DIR)


def warehouse_path() -> Path:
    """The DuckDB file dbt builds: ``$C360_WAREHOUSE`` or ``warehouse/customer360.duckdb``."""
    return Path(os.environ.get("C360_WAREHOUSE") or DEFAULT_WAREHOUSE)

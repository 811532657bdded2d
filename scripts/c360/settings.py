"""Settings from the environment: landing zone, warehouse, reporting time zone."""

from __future__ import annotations

import os
import zoneinfo
from pathlib import Path

from c360.errors import C360Error

DEFAULT_RAW_DIR = "data/raw"
DEFAULT_WAREHOUSE = "warehouse/customer360.duckdb"


def raw_dir() -> Path:
    """The landing zone: ``$C360_RAW_DIR`` or ``data/raw``."""
    return Path(os.environ.get("C360_RAW_DIR") or DEFAULT_RAW_DIR)


def warehouse_path() -> Path:
    """The DuckDB file dbt builds: ``$C360_WAREHOUSE`` or ``warehouse/customer360.duckdb``."""
    return Path(os.environ.get("C360_WAREHOUSE") or DEFAULT_WAREHOUSE)


def reporting_timezone() -> str | None:
    """``$C360_REPORTING_TIMEZONE`` when set (checked to be an IANA zone), else None.

    None means the project's var('reporting_timezone') decides (UTC unless changed).
    """
    zone = os.environ.get("C360_REPORTING_TIMEZONE") or None
    if zone is not None and not _is_iana_zone(zone):
        raise C360Error(
            f"C360_REPORTING_TIMEZONE={zone!r} is not an IANA time zone"
            " (e.g. UTC, Europe/Berlin, America/New_York)"
        )
    return zone


def _is_iana_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True

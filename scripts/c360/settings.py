"""Settings from the environment: landing zone, warehouse, reporting time zone, event retention,
the analytics file's storage version."""

from __future__ import annotations

import os
import zoneinfo
from pathlib import Path

import duckdb

from c360.errors import C360Error

DEFAULT_RAW_DIR = "data/raw"
DEFAULT_WAREHOUSE = "warehouse/customer360.duckdb"
# What c360 refresh publishes for analysts (c360 report, docs and metrics read it).
DEFAULT_ANALYTICS = "warehouse/analytics.duckdb"
# The oldest DuckDB release that must read the analytics file (the DuckDB CLI on PyPI,
# SQL IDEs and BI drivers often lag a release behind the library the build uses).
DEFAULT_ANALYTICS_STORAGE_VERSION = "v1.5.0"


def raw_dir(project: Path | None = None) -> Path:
    """The landing zone: ``$C360_RAW_DIR`` (relative to the current directory) or the
    project's ``data/raw``."""
    return _setting("C360_RAW_DIR", DEFAULT_RAW_DIR, project)


def env_raw_dir_is_set() -> bool:
    """Whether ``$C360_RAW_DIR`` names the landing zone (then no project is needed for it)."""
    return bool(os.environ.get("C360_RAW_DIR"))


def warehouse_path(project: Path | None = None) -> Path:
    """The DuckDB file dbt builds: ``$C360_WAREHOUSE`` (relative to the current directory)
    or the project's ``warehouse/customer360.duckdb``."""
    return _setting("C360_WAREHOUSE", DEFAULT_WAREHOUSE, project)


def _setting(variable: str, default: str, project: Path | None) -> Path:
    value = os.environ.get(variable) or None
    if value is not None:
        return Path(value)
    return project / default if project is not None else Path(default)


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


def event_retention_months() -> int | None:
    """``$C360_EVENT_RETENTION_MONTHS`` when set (a whole number of months, 0 keeps
    everything), else None: the project's var('event_retention_months') decides (25)."""
    text = (os.environ.get("C360_EVENT_RETENTION_MONTHS") or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise C360Error(
            f"C360_EVENT_RETENTION_MONTHS={text!r} is not a whole number of months"
            " (e.g. 25; 0 keeps every event)"
        )
    return int(text)


def analytics_storage_version() -> str:
    """``$C360_ANALYTICS_STORAGE_VERSION`` (default ``v1.5.0``): the DuckDB release whose
    storage format the analytics file is written in (DuckDB's
    ``storage_compatibility_version``), checked to be one this DuckDB knows."""
    version = (os.environ.get("C360_ANALYTICS_STORAGE_VERSION") or "").strip()
    version = version or DEFAULT_ANALYTICS_STORAGE_VERSION
    try:
        duckdb.connect(":memory:", config={"storage_compatibility_version": version}).close()
    except duckdb.Error:
        raise C360Error(
            f"C360_ANALYTICS_STORAGE_VERSION={version!r} is not a DuckDB version this DuckDB"
            f" ({duckdb.__version__}) can write (e.g. v1.5.0, v1.4.0, latest)"
        ) from None
    return version


def _is_iana_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True

"""The IANA time-zone database as Python sees it: the pinned ``tzdata`` package.

DuckDB converts time zones with its bundled ICU data, not the machine's
/usr/share/zoneinfo. Python's ``zoneinfo`` prefers the machine's files, so
anything that checks DuckDB against Python must read the zones from the
``tzdata`` package pinned in pyproject.toml, whose release is chosen to
match DuckDB's. These functions do that without touching zoneinfo's global
search path.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from zoneinfo import ZoneInfo

import tzdata

# The IANA release DuckDB 2.0.0's ICU data agrees with, for every zone from
# 2000 to 2030 (tests/functional/test_timezone_oracle.py checks it: 2026d
# differs in America/Winnipeg, 2026f in America/Havana).
DUCKDB_TZ_RELEASE = "2026e"


def python_tzdata_version() -> str:
    """The IANA release of the installed ``tzdata`` package, e.g. ``2026e``."""
    return str(tzdata.IANA_VERSION)


def zone_names() -> list[str]:
    """Every zone name the ``tzdata`` package holds (canonical zones and links), sorted."""
    return sorted(files("tzdata").joinpath("zones").read_text(encoding="utf-8").split())


def zone_file(name: str) -> Traversable:
    """The TZif file of ``name`` inside the ``tzdata`` package."""
    return files("tzdata").joinpath("zoneinfo", *name.split("/"))


def zone(name: str) -> ZoneInfo:
    """``name`` as a ZoneInfo read from the ``tzdata`` package, never from the machine."""
    with zone_file(name).open("rb") as tzif:
        return ZoneInfo.from_file(tzif, key=name)

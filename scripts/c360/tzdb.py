"""The IANA time-zone database as Python sees it: the pinned ``tzdata`` package.

DuckDB converts time zones with its bundled ICU data, not the machine's
/usr/share/zoneinfo. Python's ``zoneinfo`` prefers the machine's files, so
anything that checks DuckDB against Python must read the zones from the
``tzdata`` package pinned in pyproject.toml, whose release is chosen to
match DuckDB's. These functions do that without touching zoneinfo's global
search path.
"""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.resources import files
from importlib.resources.abc import Traversable
from zoneinfo import ZoneInfo

import tzdata

# The IANA release DuckDB 2.0.1's ICU data agrees with, for every zone from
# 2000 to 2030 (tests/functional/test_timezone_oracle.py checks it).
DUCKDB_TZ_RELEASE = "2026f"

# Instants whose UTC offset tells the recent IANA releases apart: Manitoba
# kept daylight time from November 2026 in 2026e, Cuba in 2026f. Each
# release maps to the offsets (seconds) of RELEASE_PROBES, in order. Add a
# probe and a row when a DuckDB upgrade brings a release not listed here.
RELEASE_PROBES: tuple[tuple[str, datetime], ...] = (
    ("America/Winnipeg", datetime(2026, 12, 15, 12, tzinfo=UTC)),
    ("America/Havana", datetime(2026, 12, 15, 12, tzinfo=UTC)),
)
RELEASE_OFFSETS: dict[str, tuple[int, ...]] = {
    "2026d": (-6 * 3600, -5 * 3600),
    "2026e": (-5 * 3600, -5 * 3600),
    "2026f": (-5 * 3600, -4 * 3600),
}


def release_of(offsets: tuple[int, ...]) -> str | None:
    """The release whose probe offsets are ``offsets``; None when none in RELEASE_OFFSETS is."""
    matches = [release for release, known in RELEASE_OFFSETS.items() if known == offsets]
    return matches[0] if len(matches) == 1 else None


def python_probe_offsets() -> tuple[int, ...]:
    """The offsets of RELEASE_PROBES as the installed ``tzdata`` package has them."""
    return tuple(
        int(at.astimezone(zone(name)).utcoffset().total_seconds())  # type: ignore[union-attr]
        for name, at in RELEASE_PROBES
    )


def release_divergence(duckdb_offsets: tuple[int, ...], duckdb_version: str) -> str | None:
    """One sentence when DuckDB's and Python's time-zone releases differ, else None."""
    python_release = python_tzdata_version()
    duckdb_release = release_of(duckdb_offsets)
    if duckdb_release == python_release and python_probe_offsets() == duckdb_offsets:
        return None
    if duckdb_release is None:
        return (
            f"DuckDB {duckdb_version}'s ICU time-zone data matches none of the IANA releases "
            f"{', '.join(RELEASE_OFFSETS)} (probe offsets {duckdb_offsets}) while tzdata is "
            f"{python_release}: add the new release to RELEASE_OFFSETS in scripts/c360/tzdb.py, "
            "then pin the tzdata version of that release (make lock)"
        )
    return (
        f"DuckDB {duckdb_version}'s ICU time-zone data is IANA {duckdb_release} but the "
        f"installed tzdata package is IANA {python_release}: pin the tzdata version whose "
        f"IANA_VERSION is {duckdb_release} in pyproject.toml, run make lock, and set "
        f"DUCKDB_TZ_RELEASE = {duckdb_release!r} in scripts/c360/tzdb.py"
    )


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

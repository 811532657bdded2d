"""Time helpers for the generator: epoch seconds, ISO strings, zone offsets, DST edges."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

UTC = dt.UTC
DAY = 86_400


def epoch(day: dt.date, seconds: int = 0) -> int:
    """Epoch seconds of ``day`` 00:00 UTC plus ``seconds``."""
    return int(dt.datetime.combine(day, dt.time(), tzinfo=UTC).timestamp()) + seconds


def to_date(ts: int) -> dt.date:
    return dt.datetime.fromtimestamp(ts, UTC).date()


def iso_z(ts: float, millis: bool = True) -> str:
    """``2026-03-04T10:11:12.000Z``, the way Salesforce writes DateTime fields."""
    moment = dt.datetime.fromtimestamp(ts, UTC)
    if millis:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_local(ts: int, zone: str) -> str:
    """ISO-8601 with the zone's offset at that instant: ``2026-10-02T09:14:00-04:00``."""
    return dt.datetime.fromtimestamp(ts, ZoneInfo(zone)).isoformat(timespec="seconds")


def naive_local(ts: int, zone: str) -> str:
    """``2026-03-08 01:30:00``: wall-clock time in ``zone`` without an offset."""
    return dt.datetime.fromtimestamp(ts, ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S")


@lru_cache(maxsize=100_000)
def offset_seconds(zone: str, day: dt.date) -> int:
    """UTC offset of ``zone`` at noon UTC on ``day``."""
    noon = dt.datetime.combine(day, dt.time(12), tzinfo=UTC)
    off = noon.astimezone(ZoneInfo(zone)).utcoffset()
    return int(off.total_seconds()) if off is not None else 0


def offset_text(seconds: int) -> str:
    """``+05:45`` / ``-04:00`` for an offset in seconds."""
    sign = "-" if seconds < 0 else "+"
    minutes = abs(seconds) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def dst_edges(zone: str, until: dt.date) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Naive local times inside the latest DST gap and overlap on or before ``until``.

    Found by walking the zone hour by hour backwards over two years: a gap is
    where the offset grows, an overlap where it shrinks. Each result is the
    middle of the skipped (gap) or repeated (overlap) wall-clock span.
    """
    tz = ZoneInfo(zone)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=UTC)
    gap: dt.datetime | None = None
    overlap: dt.datetime | None = None
    cursor = end
    for _ in range(2 * 366 * 24):
        before = cursor - dt.timedelta(hours=1)
        off_a = before.astimezone(tz).utcoffset()
        off_b = cursor.astimezone(tz).utcoffset()
        if off_a is not None and off_b is not None and off_a != off_b:
            # find the exact transition minute
            lo, hi = before, cursor
            while hi - lo > dt.timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                if mid.astimezone(tz).utcoffset() == off_a:
                    lo = mid
                else:
                    hi = mid
            jump = off_b - off_a
            wall = hi.astimezone(tz).replace(tzinfo=None, second=0, microsecond=0)
            if jump > dt.timedelta(0) and gap is None:
                gap = wall - jump / 2  # wall clock skipped from (wall - jump) to wall
            elif jump < dt.timedelta(0) and overlap is None:
                overlap = wall + (-jump) / 2  # wall clock repeats from wall to wall - jump
        if gap is not None and overlap is not None:
            break
        cursor = before
    return gap, overlap

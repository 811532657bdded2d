"""Turn records with dated versions into daily extracts, incremental or full.

A record is ``(key, versions, gone_ts)``: versions are ``(ts, row)`` in time
order, ``gone_ts`` the moment it is hard-deleted (or None).

- Incremental extract of day *d*: every record changed during *d*, in its last
  state of that day (a record changed twice in a day lands once, as
  Salesforce's "changed since" queries return it).
- Full extract of day *d*: every record that exists at the end of *d*, in its
  state then. A hard-deleted record is simply absent.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from c360.generate.clock import DAY, epoch

Row = dict[str, Any]


@dataclass(frozen=True)
class Record:
    key: str
    versions: list[tuple[int, Row]]
    gone_ts: int | None = None


def daily_extracts(
    records: Iterable[Record], dates: list[dt.date], full_dates: set[dt.date]
) -> dict[dt.date, list[Row]]:
    """Rows per extract date; every date is present (an empty list is an empty partition)."""
    starts = [epoch(d) for d in dates]
    out: dict[dt.date, list[Row]] = {d: [] for d in dates}
    full_list = sorted(full_dates)
    incremental: dict[int, dict[str, Row]] = defaultdict(dict)
    for rec in records:
        times = [ts for ts, _ in rec.versions]
        for ts, row in rec.versions:
            if rec.gone_ts is not None and ts >= rec.gone_ts:
                break
            i = bisect.bisect_right(starts, ts) - 1
            if 0 <= i < len(dates) and ts < starts[i] + DAY:
                incremental[i][rec.key] = row  # later versions of the day overwrite
        for d in full_list:
            day_end = epoch(d) + DAY
            if rec.gone_ts is not None and rec.gone_ts < day_end:
                continue
            j = bisect.bisect_left(times, day_end) - 1
            if j >= 0:
                out[d].append(rec.versions[j][1])
    for i, d in enumerate(dates):
        if d not in full_dates:
            out[d] = list(incremental[i].values())
    return out

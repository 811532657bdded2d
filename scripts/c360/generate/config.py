"""Sizes and knobs of a generated landing zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

# The window ends on a fixed date so that a seed always yields the same bytes.
# 2026-11-08 puts the US fall-back (2026-11-01) and the EU one (2026-10-25)
# inside even the 30-day tiny window.
DEFAULT_END_DATE = dt.date(2026, 11, 8)
DEFAULT_SEED = 42


@dataclass(frozen=True)
class GenerateConfig:
    """Everything that decides what ``c360 generate`` writes."""

    scale: str
    companies: int
    events: int
    days: int
    people_per_company: float
    rows_per_file: int
    end_date: dt.date = DEFAULT_END_DATE
    seed: int = DEFAULT_SEED
    faults: bool = False
    crm_full_every: int = 14

    @property
    def start_date(self) -> dt.date:
        return self.end_date - dt.timedelta(days=self.days - 1)

    def dates(self) -> list[dt.date]:
        return [self.start_date + dt.timedelta(days=i) for i in range(self.days)]


SCALES: dict[str, GenerateConfig] = {
    "tiny": GenerateConfig(
        scale="tiny",
        companies=20,
        events=5_000,
        days=30,
        people_per_company=6.0,
        rows_per_file=150,
    ),
    "small": GenerateConfig(
        scale="small",
        companies=500,
        events=1_000_000,
        days=180,
        people_per_company=12.0,
        rows_per_file=250_000,
    ),
    "large": GenerateConfig(
        scale="large",
        companies=5_000,
        events=100_000_000,
        days=365,
        people_per_company=15.0,
        rows_per_file=1_000_000,
    ),
}


def make_config(
    scale: str,
    *,
    seed: int | None = None,
    companies: int | None = None,
    events: int | None = None,
    days: int | None = None,
    end_date: dt.date | None = None,
    faults: bool = False,
) -> GenerateConfig:
    """A scale preset with explicit overrides applied; raises ValueError on nonsense."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: use one of {', '.join(SCALES)}")
    cfg = SCALES[scale]
    changes: dict[str, object] = {"faults": faults}
    if seed is not None:
        changes["seed"] = seed
    if companies is not None:
        if companies < 10:
            raise ValueError(f"--companies must be at least 10 (got {companies})")
        changes["companies"] = companies
    if events is not None:
        if events < 0:
            raise ValueError(f"--events must be zero or more (got {events})")
        changes["events"] = events
    if days is not None:
        if days < 14:
            raise ValueError(f"--days must be at least 14 (got {days})")
        changes["days"] = days
    if end_date is not None:
        changes["end_date"] = end_date
    return replace(cfg, **changes)  # type: ignore[arg-type]

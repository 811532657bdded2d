"""Event retention: events older than the cut-off leave the event tables, aggregates keep them.

A tiny landing zone of 60 days (2026-09-10 to 2026-11-08) is built with two
months of retention (the cut-off, 2026-09-08, drops nothing), then again
incrementally with one month (cut-off 2026-10-08: a month of events ages
out), and once in full with one month. After the second build no
event-level table holds an event before the cut-off; the daily aggregates
still hold every day wholly before it as the first build counted it; from
the day after the cut-off on, the incremental build equals the full one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from test_dbt_project import OUTPUTS_ONLY, DbtRun, build

from c360.generate.config import make_config
from landing_helpers import generate_quietly

pytestmark = pytest.mark.slow

CUTOFF = dt.date(2026, 10, 8)  # 2026-11-08 less one month
FROZEN_BEFORE = CUTOFF - dt.timedelta(days=1)
COMPLETE_FROM = CUTOFF + dt.timedelta(days=1)  # the first day no zone splits

# every relation with one row per message (or message copy): its time column
# and, where it has one, its extract date
EVENT_LEVEL = {
    "staging.base_events__messages": ("occurred_at", "extract_date"),
    "staging.stg_events__messages": ("occurred_at", "extract_date"),
    "staging.stg_events__messages_consented": ("occurred_at", "extract_date"),
    "intermediate.int_events_attributed": (
        "coalesce(occurred_at, _previous_occurred_at)",
        "extract_date",
    ),
    "marts.fct_events": ("occurred_at", "extract_date"),
    "intermediate.int_campaign_touches": ("occurred_at", None),
    "marts.fct_campaign_touches": ("occurred_at", None),
}

# incremental daily aggregates: their day column and the columns they count
# from events (fct_company_activity_daily also counts tickets, which are not
# events and are recounted)
AGGREGATES = {
    "marts.fct_company_activity_daily": (
        "local_date",
        "company_key, local_date, event_count, active_people",
    ),
    "marts.fct_company_activity_reporting_daily": (
        "reporting_date",
        "company_key, reporting_date, event_count, active_people",
    ),
    "marts.fct_feature_usage_daily": (
        "local_date",
        "company_key, feature, local_date, event_count, active_people, key_event_count,"
        " events_without_access, undocumented_event_count, first_used_at, last_used_at",
    ),
    "intermediate.int_person_activity_daily": (
        "local_date",
        "company_group, person_key, feature, local_date, event_count, key_event_count,"
        " first_event_at, last_event_at",
    ),
}


@dataclass
class Runs:
    second: DbtRun  # incremental, one month
    full: DbtRun  # full, one month
    held: dict[str, Counter[tuple[Any, ...]]]  # the aggregates after the first build
    event_rows: dict[str, int]  # event rows before the cut-off after the first build
    first_cutoff: dt.date


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    root = tmp_path_factory.mktemp("retention")
    raw = generate_quietly(make_config("tiny", days=60), root / "raw")
    first = build(root / "incremental", raw, *OUTPUTS_ONLY, C360_EVENT_RETENTION_MONTHS="2")
    # what the first build held, before the second overwrites its warehouse
    held = {
        name: Counter(
            first.query(f"select {columns} from {name} where {day} < date '{FROZEN_BEFORE}'")
        )
        for name, (day, columns) in AGGREGATES.items()
    }
    event_rows = {
        name: first.query(f"select count(*) from {name} where {time} < timestamp '{CUTOFF}'")[0][0]
        for name, (time, _) in EVENT_LEVEL.items()
    }
    first_cutoff = first.query("select cutoff_date from ops.event_retention")[0][0]
    second = build(root / "incremental", raw, *OUTPUTS_ONLY, C360_EVENT_RETENTION_MONTHS="1")
    full = build(root / "full", raw, *OUTPUTS_ONLY, C360_EVENT_RETENTION_MONTHS="1")
    return Runs(second, full, held, event_rows, first_cutoff)


def test_the_cut_off_is_measured_back_from_the_latest_events_extract(runs: Runs) -> None:
    assert runs.first_cutoff == dt.date(2026, 9, 8)
    got = runs.second.query(
        "select retention_months, as_of_date, cutoff_date, frozen_before_date"
        " from ops.event_retention"
    )
    assert got == [(1, dt.date(2026, 11, 8), CUTOFF, FROZEN_BEFORE)]


@pytest.mark.parametrize("name", sorted(EVENT_LEVEL))
def test_events_before_the_cut_off_leave_every_event_table(name: str, runs: Runs) -> None:
    time, extract_date = EVENT_LEVEL[name]
    assert runs.event_rows[name] > 0, f"{name}: the first build held no event to age out"
    old = f"{time} < timestamp '{CUTOFF}'"
    if extract_date is not None:
        old += f" or {extract_date} < date '{CUTOFF}'"
    for run in (runs.second, runs.full):
        assert run.query(f"select count(*) from {name} where {old}") == [(0,)]
    # the same messages as a full build with the same retention
    key = "_file, _file_row" if name.endswith("base_events__messages") else "message_id"
    got, want = (Counter(r.query(f"select {key} from {name}")) for r in (runs.second, runs.full))
    assert got == want


@pytest.mark.parametrize("name", sorted(AGGREGATES))
def test_aggregates_keep_the_days_that_aged_out(name: str, runs: Runs) -> None:
    day, columns = AGGREGATES[name]
    before = runs.held[name]
    assert before, f"{name}: nothing counted before {FROZEN_BEFORE}"
    got = Counter(
        runs.second.query(f"select {columns} from {name} where {day} < date '{FROZEN_BEFORE}'")
    )
    assert got == before
    # a full build counts only the retained events: those days are gone
    assert runs.full.query(
        f"select count(*) from {name} where {day} < date '{FROZEN_BEFORE}' and event_count > 0"
    ) == [(0,)]


@pytest.mark.parametrize("name", sorted(AGGREGATES))
def test_later_days_equal_a_full_build(name: str, runs: Runs) -> None:
    day, columns = AGGREGATES[name]
    # person keys are never re-issued incrementally (docs/incremental.md, Limits)
    compared = ", ".join(c for c in columns.split(", ") if c != "person_key")
    got, want = (
        Counter(r.query(f"select {compared} from {name} where {day} >= date '{COMPLETE_FROM}'"))
        for r in (runs.second, runs.full)
    )
    assert got and got == want


def test_every_partition_reconciles_with_the_aged_out_rows(runs: Runs) -> None:
    run = runs.second
    assert run.query("select count(*) from ops.load_reconciliation where not is_reconciled") == [
        (0,)
    ]
    aged = run.query(
        "select sum(aged_out_rows) from ops.load_reconciliation"
        f" where extract_date < date '{CUTOFF}'"
    )[0][0]
    assert aged > 0
